/**
 * Choosing files and folders. In the app, `files/choose*` open the system's
 * own dialogs (src/main/electron/dialogs.ts). In serve mode main runs on the
 * machine but cannot open a window in the browser, so they answer `browse`,
 * and the page shows its folder browser instead, fed by `files/list`
 * (src/main/fs/folderBrowser.ts): folders and matching files under the
 * user's home and mounted volumes only. A reader workstation answers none of
 * them. Spread into `contract` (src/shared/contract.ts).
 */
import { z } from 'zod'

export type { FilesOperationName } from './operations'

const pathText = z.string().min(1).max(4096)
/** A file name extension without its dot, as the dialogs' filters take it. */
export const extensionSchema = z.string().regex(/^[A-Za-z0-9]{1,16}$/, 'an extension is 1–16 letters or digits, without the dot')

export const fileFilterSchema = z
  .object({
    /** What the files are, for people: "Reader study (.zip)". */
    name: z.string().min(1).max(80),
    extensions: z.array(extensionSchema).min(1).max(16)
  })
  .strict()
export type FileFilter = z.infer<typeof fileFilterSchema>

const chooseArgs = z
  .object({
    title: z.string().max(200).optional(),
    /** Where the dialog opens: a folder; for files/chooseSave also a file name or path to suggest. */
    defaultPath: pathText.optional(),
    filters: z.array(fileFilterSchema).max(8).optional()
  })
  .strict()
export type ChooseArgs = z.infer<typeof chooseArgs>

export const chooseResultSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('chosen'), path: z.string() }).strict(),
  z.object({ outcome: z.literal('canceled') }).strict(),
  /** Serve mode: no dialog can open where the browser runs; the page shows its folder browser (files/list). */
  z.object({ outcome: z.literal('browse') }).strict()
])
export type ChooseResult = z.infer<typeof chooseResultSchema>

/** Which files a listing shows besides folders: none, all, or those with one of these extensions. */
export const listedFilesSchema = z.union([z.enum(['none', 'all']), z.array(extensionSchema).min(1).max(16)])
export type ListedFiles = z.infer<typeof listedFilesSchema>

export const folderEntrySchema = z
  .object({
    /** As shown; a name that is not valid UTF-8 is shown with � where its bytes could not be read. */
    name: z.string(),
    /** The absolute path to use (a link's: where it leads); null when the entry cannot be used (see problem). */
    path: z.string().nullable(),
    kind: z.enum(['folder', 'file']),
    sizeBytes: z.number().int().nonnegative().nullable(),
    /** Why the entry cannot be chosen, written for the user; null when it can. */
    problem: z.string().nullable()
  })
  .strict()
export type FolderEntry = z.infer<typeof folderEntrySchema>

export const browseRootSchema = z.object({ name: z.string(), path: z.string() }).strict()
export type BrowseRoot = z.infer<typeof browseRootSchema>

export const folderListingSchema = z
  .object({
    /** The folder listed (its real path); null: the list of places one may browse (the roots). */
    folder: z.string().nullable(),
    /** The folder above, while still inside a root; null at a root or for the list of roots. */
    parent: z.string().nullable(),
    roots: z.array(browseRootSchema),
    entries: z.array(folderEntrySchema),
    /** True when the folder held more entries than a listing shows (the first ones by name are listed). */
    truncated: z.boolean()
  })
  .strict()
export type FolderListing = z.infer<typeof folderListingSchema>

export const filesContract = {
  'files/chooseFolder': { args: chooseArgs, result: chooseResultSchema },
  'files/chooseFile': { args: chooseArgs, result: chooseResultSchema },
  'files/chooseSave': { args: chooseArgs, result: chooseResultSchema },
  'files/list': {
    args: z
      .object({
        /** An absolute folder inside one of the roots; without it, the roots themselves. */
        path: pathText.optional(),
        files: listedFilesSchema.optional(),
        /** Names starting with a dot are left out unless asked for. */
        showHidden: z.boolean().optional()
      })
      .strict(),
    result: folderListingSchema
  }
} as const
