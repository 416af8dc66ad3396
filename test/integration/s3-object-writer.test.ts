/**
 * S3ObjectWriter (@updraft/providers) against s3rver with the real AWS SDK: text written line by
 * line comes back byte for byte, whether it is a single PutObject (smaller than a part), parts of
 * exactly the part size, or lines of multi-byte characters that cross part boundaries; the part
 * count is what S3 holds. A failed upload rejects with the service's error; abort() leaves no object.
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_PART_BYTES, S3ObjectWriter } from '@updraft/providers';
import { S3_ACCESS_KEY, S3_SECRET_KEY, startS3, type S3Server } from '../harness/index.js';

let s3: S3Server;
let client: S3Client;

beforeAll(async () => {
  s3 = await startS3({ buckets: ['lake'] });
  client = new S3Client({
    endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET_KEY },
  });
});

afterAll(async () => {
  client?.destroy();
  await s3?.stop();
});

async function read(key: string): Promise<Buffer> {
  const r = await client.send(new GetObjectCommand({ Bucket: 'lake', Key: key }));
  return Buffer.from(await r.Body!.transformToByteArray());
}

/** Writes `lines` as the caller of the writer must (awaiting write() when it returns a promise). */
async function writeAll(key: string, lines: Iterable<string>): Promise<{ bytes: number; parts: number; sent: Buffer }> {
  const writer = new S3ObjectWriter(client, { bucket: 'lake', key, contentType: 'text/plain' });
  const sent: Buffer[] = [];
  for (const line of lines) {
    sent.push(Buffer.from(line));
    const wait = writer.write(line);
    if (wait !== undefined) await wait;
  }
  const written = await writer.end();
  return { ...written, sent: Buffer.concat(sent) };
}

describe('S3ObjectWriter', () => {
  it('writes an object smaller than one part with one PutObject, an empty one too', async () => {
    const small = await writeAll('small.txt', ['a,b\n', 'é,"x"\n']);
    expect([small.bytes, small.parts]).toEqual([small.sent.length, 1]);
    expect((await read('small.txt')).equals(small.sent)).toBe(true);
    const empty = await writeAll('empty.txt', []);
    expect([empty.bytes, empty.parts]).toEqual([0, 1]);
    expect((await read('empty.txt')).length).toBe(0);
  });

  it('keeps multi-byte lines whole across part boundaries: the object is the text, byte for byte', async () => {
    // Lines of 1-, 2-, 3- and 4-byte characters of varied lengths: boundaries fall inside characters.
    const lines = function* (): Generator<string> {
      for (let i = 0; i < 120_000; i++) yield `${i};${'é'.repeat(i % 7)}${'€'.repeat(i % 5)}${'🙂'.repeat(i % 3)};${'x'.repeat(i % 50)}\n`;
    };
    const big = await writeAll('multibyte.txt', lines());
    expect(big.bytes).toBe(big.sent.length);
    expect(big.parts).toBe(Math.ceil(big.sent.length / MIN_PART_BYTES));
    expect(big.parts).toBeGreaterThan(1);
    expect((await read('multibyte.txt')).equals(big.sent)).toBe(true);
  });

  it('a line longer than a part spans parts; a text of exactly two parts ends without an empty third', async () => {
    const long = `${'y'.repeat(MIN_PART_BYTES + 1234)}\n`;
    const spanning = await writeAll('long-line.txt', ['head\n', long, 'tail\n']);
    expect(spanning.parts).toBe(2);
    expect((await read('long-line.txt')).equals(spanning.sent)).toBe(true);
    const exact = await writeAll('exact.txt', [(('z'.repeat(1023)) + '\n').repeat(2 * MIN_PART_BYTES / 1024)]);
    expect([exact.bytes, exact.parts]).toEqual([2 * MIN_PART_BYTES, 2]);
    expect((await read('exact.txt')).equals(exact.sent)).toBe(true);
  });

  it('a missing bucket rejects with the service\'s error', async () => {
    const writer = new S3ObjectWriter(client, { bucket: 'missing-bucket', key: 'x.txt', contentType: 'text/plain' });
    const chunk = `${'w'.repeat(1 << 20)}\n`;
    let failure: unknown;
    try {
      for (let i = 0; i < 12; i++) await writer.write(chunk);
      await writer.end();
    } catch (err) {
      failure = err;
    }
    expect((failure as Error | undefined)?.name).toBe('NoSuchBucket');
    await writer.abort();
  });

  it('abort() after a part was stored leaves no object', async () => {
    const writer = new S3ObjectWriter(client, { bucket: 'lake', key: 'aborted.txt', contentType: 'text/plain' });
    const chunk = `${'v'.repeat(1 << 20)}\n`;
    for (let i = 0; i < 7; i++) await writer.write(chunk);
    await writer.abort();
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'aborted' }));
    expect(listed.KeyCount ?? 0).toBe(0);
    await expect(read('aborted.txt')).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('refuses a part size below S3\'s minimum, naming it', () => {
    expect(() => new S3ObjectWriter(client, { bucket: 'lake', key: 'k', contentType: 'text/plain', partBytes: 1024 }))
      .toThrow(`partBytes must be an integer >= ${MIN_PART_BYTES}, got 1024`);
  });
});
