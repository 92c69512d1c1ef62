// pino-roll ships no types; this is the part of its API the logger uses.
declare module 'pino-roll' {
  import type SonicBoom from 'sonic-boom'
  interface PinoRollOptions {
    file: string
    size?: string | number
    frequency?: 'daily' | 'hourly' | number
    extension?: string
    symlink?: boolean
    limit?: { count?: number; removeOtherLogFiles?: boolean }
    dateFormat?: string
    mkdir?: boolean
    sync?: boolean
  }
  export default function roll(options: PinoRollOptions): Promise<SonicBoom>
}
