"""Frame sampling with ffmpeg, the same command line as src/main/classifier/frameSampler.ts:
frames at SAMPLE_RATE_HZ as a stream of binary PPM images (each carries its
own size, so nothing has to be probed first)."""
import os
import shutil
import subprocess

import numpy as np

from preprocess import SAMPLE_RATE_HZ, MAX_FRAMES_PER_CLIP, sample_indices


def ffmpeg_bin():
    return os.environ.get('FFMPEG_PATH') or shutil.which('ffmpeg') or 'ffmpeg'


def ffmpeg_args(path, rate=SAMPLE_RATE_HZ):
    return [ffmpeg_bin(), '-v', 'error', '-nostdin', '-i', path, '-an', '-sn', '-vf', f'fps={rate}:eof_action=pass',
            '-pix_fmt', 'rgb24', '-f', 'image2pipe', '-vcodec', 'ppm', '-']


def _token(buf, pos):
    while buf[pos:pos + 1].isspace():
        pos += 1
    end = pos
    while end < len(buf) and not buf[end:end + 1].isspace():
        end += 1
    return buf[pos:end], end


def parse_ppm_stream(buf: bytes):
    frames = []
    pos = 0
    while pos < len(buf):
        magic, pos = _token(buf, pos)
        if magic == b'':
            break
        if magic != b'P6':
            raise ValueError(f'not a PPM stream (got {magic[:8]!r})')
        w, pos = _token(buf, pos)
        h, pos = _token(buf, pos)
        mx, pos = _token(buf, pos)
        pos += 1  # the single whitespace after maxval
        w, h = int(w), int(h)
        if int(mx) != 255:
            raise ValueError('16-bit PPM not expected')
        n = w * h * 3
        frames.append(np.frombuffer(buf[pos:pos + n], dtype=np.uint8).reshape(h, w, 3))
        pos += n
    return frames


def sample_frames(path, rate=SAMPLE_RATE_HZ, max_frames=MAX_FRAMES_PER_CLIP):
    """All frames at `rate` Hz (evenly thinned to max_frames) as uint8 HxWx3 arrays."""
    out = subprocess.run(ffmpeg_args(path, rate), stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    frames = parse_ppm_stream(out.stdout)
    if not frames and out.returncode != 0:
        raise RuntimeError(out.stderr.decode('utf8', 'replace').strip().splitlines()[-1:] or 'ffmpeg failed')
    return [frames[i] for i in sample_indices(len(frames), max_frames)]
