import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';

/**
 * The pictures of the console in the README and docs/guides/console.md are taken by the end-to-end
 * tests, so they always show the page as it is.
 *
 * They ship in the npm package (docs/guides), so they are kept small: the viewport at a device scale
 * factor of 1, stored as a PNG with a palette of its 256 most frequent colours (a page of flat colours
 * and antialiased text; a third of the size of Chromium's full-colour PNG, and no visible difference).
 *
 * Every run differs in places (times, ports, dice totals, session ids, signatures), and a file
 * rewritten on every run would dirty the working tree and make test/helpers/packed.ts rebuild the
 * tarball (docs/guides is among its inputs). So a picture is replaced only when it differs from the
 * stored one outside those places: the boxes of the texts with a digit or a long token in them are left
 * out of the comparison, and more than NOISE of the other pixels must differ (or the size).
 */
export const IMAGES = fileURLToPath(new URL('../../docs/guides/images/', import.meta.url));

/** Share of the compared pixels that may differ and still count as the same picture. */
const NOISE = 0.001;

let japaneseFont: boolean | undefined;

/**
 * The console shows Japanese (the examples speak it): without a Japanese font Chromium draws boxes,
 * and the docs would show them. That fails the test rather than quietly keeping old pictures:
 * `.ci/run` installs Debian's fonts-ipafont-gothic when `fc-list` finds no Japanese font.
 */
function requireJapaneseFont(): void {
  if (japaneseFont === undefined) {
    try {
      japaneseFont = execFileSync('fc-list', [':lang=ja'], { encoding: 'utf8' }).trim() !== '';
    } catch {
      japaneseFont = false;
    }
  }
  if (!japaneseFont)
    throw new Error(
      'No Japanese font: the console pictures would show boxes. Install one (apt-get install fonts-ipafont-gothic; .ci/run does it).',
    );
}

export interface Saved {
  path: string;
  bytes: number;
  /** false: the stored picture was kept (the same but for noise). */
  written: boolean;
}

/** Screenshots the page's viewport into docs/guides/images/<name>.png, unless only noise changed. */
export async function saveScreenshot(page: Page, name: string): Promise<Saved> {
  const path = join(IMAGES, `${name}.png`);
  requireJapaneseFont();
  const shot = await page.screenshot({ type: 'png', animations: 'disabled', caret: 'hide', scale: 'css' });
  const boxes = await volatileBoxes(page);
  const stored = existsSync(path) ? readFileSync(path) : undefined;
  // The decoding, colour counting and comparing happen in a blank tab of the same browser.
  const scratch = await page.context().newPage();
  let png: Buffer;
  try {
    const indexed = await scratch.evaluate(paletteImage, shot.toString('base64'));
    png = encodeIndexedPng(indexed);
    if (stored && (await scratch.evaluate(differingShare, [stored, png, boxes].map(base64OrBoxes))) <= NOISE)
      return { path, bytes: stored.length, written: false };
  } finally {
    await scratch.close();
  }
  mkdirSync(IMAGES, { recursive: true });
  writeFileSync(path, png);
  console.log(`screenshot ${name}.png: ${(png.length / 1024).toFixed(0)} KB written`);
  return { path, bytes: png.length, written: true };
}

const base64OrBoxes = (value: Buffer | Box[]) => (Buffer.isBuffer(value) ? value.toString('base64') : value);

type Box = [x: number, y: number, width: number, height: number];

/** Where the viewport shows text that changes from run to run: any text with a digit or a long token. */
function volatileBoxes(page: Page): Promise<Box[]> {
  return page.evaluate(() => {
    const boxes: Box[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!/\d|[\w+/=-]{16,}/.test(node.textContent ?? '')) continue;
      range.selectNodeContents(node);
      for (const rect of Array.from(range.getClientRects()))
        boxes.push([rect.x, rect.y, rect.width, rect.height]);
    }
    // Inputs and meters draw their values without a text node.
    for (const element of Array.from(document.querySelectorAll('input, textarea, meter'))) {
      const rect = element.getBoundingClientRect();
      boxes.push([rect.x, rect.y, rect.width, rect.height]);
    }
    return boxes;
  });
}

interface Indexed {
  width: number;
  height: number;
  /** 0xRRGGBB, most frequent first. */
  palette: number[];
  /** One palette index per pixel, base64. */
  pixels: string;
}

/**
 * Runs in the browser: decodes a PNG and maps every pixel to the nearest of the image's 256 most
 * frequent colours (nearest by a weighted RGB distance, green counting most, as the eye does).
 */
async function paletteImage(base64: string): Promise<Indexed> {
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  const rgba = context.getImageData(0, 0, width, height).data;
  const colourAt = (pixel: number) =>
    (rgba[pixel * 4]! << 16) | (rgba[pixel * 4 + 1]! << 8) | rgba[pixel * 4 + 2]!;
  const counts = new Map<number, number>();
  for (let pixel = 0; pixel < width * height; pixel++) {
    const colour = colourAt(pixel);
    counts.set(colour, (counts.get(colour) ?? 0) + 1);
  }
  const palette = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 256)
    .map(([colour]) => colour);
  const nearest = (colour: number) => {
    let best = 0;
    let bestDistance = Infinity;
    palette.forEach((candidate, index) => {
      const red = (colour >> 16) - (candidate >> 16);
      const green = ((colour >> 8) & 255) - ((candidate >> 8) & 255);
      const blue = (colour & 255) - (candidate & 255);
      const distance = 2 * red * red + 4 * green * green + 3 * blue * blue;
      if (distance < bestDistance) [best, bestDistance] = [index, distance];
    });
    return best;
  };
  const indexOf = new Map<number, number>();
  const pixels = new Uint8Array(width * height);
  for (let pixel = 0; pixel < width * height; pixel++) {
    const colour = colourAt(pixel);
    let index = indexOf.get(colour);
    if (index === undefined) indexOf.set(colour, (index = nearest(colour)));
    pixels[pixel] = index;
  }
  let binary = '';
  for (let i = 0; i < pixels.length; i += 0x8000)
    binary += String.fromCharCode(...pixels.subarray(i, i + 0x8000));
  return { width, height, palette, pixels: btoa(binary) };
}

const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(bytes: Buffer): number {
  let c = -1;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 255]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const framed = Buffer.alloc(body.length + 8);
  framed.writeUInt32BE(data.length, 0);
  body.copy(framed, 4);
  framed.writeUInt32BE(crc32(body), body.length + 4);
  return framed;
}

/** A palette PNG (colour type 3, 8 bits), each row unfiltered, as the PNG spec advises for palettes. */
function encodeIndexedPng({ width, height, palette, pixels }: Indexed): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 3; // colour type: palette
  const colours = Buffer.alloc(palette.length * 3);
  palette.forEach((colour, i) => colours.writeUIntBE(colour, i * 3, 3));
  const indices = Buffer.from(pixels, 'base64');
  const rows = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) indices.copy(rows, y * (width + 1) + 1, y * width, (y + 1) * width);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('PLTE', colours),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Runs in the browser: the share of pixels that differ between two PNGs outside the boxes (1 when
 * their sizes differ).
 */
async function differingShare([first, second, boxes]: (string | Box[])[]): Promise<number> {
  const decode = async (base64: string) => {
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    return context.getImageData(0, 0, bitmap.width, bitmap.height);
  };
  const [a, b] = await Promise.all([decode(first as string), decode(second as string)]);
  if (a.width !== b.width || a.height !== b.height) return 1;
  const skip = new Uint8Array(a.width * a.height);
  for (const [left, top, width, height] of boxes as Box[]) {
    // A pixel's margin around each box: antialiasing reaches past it.
    const x0 = Math.max(0, Math.floor(left) - 1);
    const x1 = Math.min(a.width, Math.ceil(left + width) + 1);
    for (let row = Math.max(0, Math.floor(top) - 1); row < Math.min(a.height, top + height + 1); row++)
      skip.fill(1, row * a.width + x0, row * a.width + x1);
  }
  let differing = 0;
  let compared = 0;
  for (let pixel = 0; pixel < skip.length; pixel++) {
    if (skip[pixel]) continue;
    compared++;
    for (let channel = pixel * 4; channel < pixel * 4 + 3; channel++)
      if (Math.abs(a.data[channel]! - b.data[channel]!) > 16) {
        differing++;
        break;
      }
  }
  return compared === 0 ? 0 : differing / compared;
}
