import { resource } from '../../../lib/workers/worker-resource';
import { Progress } from '../progress';

/** A grey-scale image generated from `seed` (a tiny linear congruential generator). */
function generate(width: number, height: number, seed: number): Uint8ClampedArray {
  const pixels = new Uint8ClampedArray(width * height);
  let state = seed >>> 0;
  for (let i = 0; i < pixels.length; i++) {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    pixels[i] = state >>> 24;
  }
  return pixels;
}

/** One 3x3 box blur pass. */
function blurPass(src: Uint8ClampedArray, width: number, height: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let count = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          sum += src[yy * width + xx];
          count++;
        }
      }
      out[y * width + x] = sum / count;
    }
  }
  return out;
}

/** The CPU-heavy step: blurs a generated image `rounds` times and returns a checksum. Synchronous. */
export function blurImage(width: number, height: number, rounds: number, seed: number): number {
  let pixels = generate(width, height, seed);
  for (let round = 0; round < rounds; round++) pixels = blurPass(pixels, width, height);
  return pixels.reduce((sum, value) => (sum + value) % 1_000_000_007, 0);
}

/**
 * The same work as a worker task that reports its progress to the main thread's `Progress`
 * signal through `resource()`: each dispatch runs on the main thread, in the requesting context.
 */
export async function blurImageReporting(width: number, height: number, rounds: number, seed: number): Promise<number> {
  let pixels = generate(width, height, seed);
  for (let round = 0; round < rounds; round++) {
    pixels = blurPass(pixels, width, height);
    await resource(Progress).dispatch({ seed, round: round + 1, of: rounds });
  }
  return pixels.reduce((sum, value) => (sum + value) % 1_000_000_007, 0);
}
