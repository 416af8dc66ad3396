/**
 * One S3 object written as a stream of text with flat memory: the text is encoded straight into a
 * part-sized buffer; a full buffer is sent as a multipart part while the next one fills, and a
 * write that finds the other buffer still in flight waits for it (backpressure). So at most two
 * part buffers exist, allocated once and reused, whatever the object's size. An object smaller
 * than one part is a single PutObject. The caller awaits the promise write() returns (only when it
 * returns one), then end(); on a failure, abort() removes the parts already stored.
 */
import type * as ClientS3 from '@aws-sdk/client-s3';
import type { CompletedPart, S3Client } from '@aws-sdk/client-s3';

/** S3's smallest part (except the last). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

export interface ObjectWriterOptions {
  bucket: string;
  key: string;
  contentType: string;
  /** Bytes per part, at least MIN_PART_BYTES (default). */
  partBytes?: number;
  /** Called after each part is handed to S3 (e.g. to sample memory). */
  onPart?: () => void;
}

export interface WrittenObject {
  bytes: number;
  parts: number;
}

type S3Api = typeof ClientS3;

export class S3ObjectWriter {
  private readonly partBytes: number;
  private fill: Buffer;
  /** The buffer of the part in flight (reused once that part is stored). */
  private spare: Buffer | undefined;
  private offset = 0;
  private inFlight: Promise<void> | undefined;
  private uploadId: string | undefined;
  private readonly parts: CompletedPart[] = [];
  private bytes = 0;
  private api: S3Api | undefined;

  constructor(private readonly client: S3Client, private readonly o: ObjectWriterOptions) {
    this.partBytes = o.partBytes ?? MIN_PART_BYTES;
    if (!Number.isInteger(this.partBytes) || this.partBytes < MIN_PART_BYTES) throw new RangeError(`partBytes must be an integer >= ${MIN_PART_BYTES}, got ${o.partBytes}`);
    this.fill = Buffer.allocUnsafeSlow(this.partBytes);
  }

  /** Appends `text` (UTF-8). Returns a promise to await when a full part had to wait for the one in flight, else undefined. */
  write(text: string): Promise<void> | undefined {
    const room = this.partBytes - this.offset;
    // A UTF-16 unit is at most 3 bytes of UTF-8: the common case needs no length computed.
    if (text.length * 3 <= room || Buffer.byteLength(text) <= room) {
      this.offset += this.fill.write(text, this.offset);
      return this.offset === this.partBytes ? this.flush() : undefined;
    }
    return this.writeSplit(Buffer.from(text));
  }

  /** Text that crosses a part boundary: its bytes are copied across as many parts as needed. */
  private async writeSplit(data: Buffer): Promise<void> {
    let at = 0;
    while (at < data.length) {
      const n = data.copy(this.fill, this.offset, at);
      this.offset += n;
      at += n;
      if (this.offset === this.partBytes) await this.flush();
    }
  }

  /** Sends the full buffer as the next part once the previous part is stored; the other buffer fills meanwhile. */
  private async flush(): Promise<void> {
    await this.inFlight;
    this.inFlight = undefined;
    const api = await this.sdk();
    if (this.uploadId === undefined) {
      const created = await this.client.send(new api.CreateMultipartUploadCommand({ Bucket: this.o.bucket, Key: this.o.key, ContentType: this.o.contentType }));
      if (!created.UploadId) throw new Error('CreateMultipartUpload answered no UploadId');
      this.uploadId = created.UploadId;
    }
    const full = this.fill.subarray(0, this.offset);
    this.bytes += this.offset;
    const partNumber = this.parts.length + 1;
    this.parts.push({ PartNumber: partNumber });
    const sent = this.fill;
    this.inFlight = this.client.send(new api.UploadPartCommand({ Bucket: this.o.bucket, Key: this.o.key, UploadId: this.uploadId, PartNumber: partNumber, Body: full }))
      .then((r) => {
        if (!r.ETag) throw new Error(`UploadPart ${partNumber} answered no ETag`);
        this.parts[partNumber - 1] = {
          PartNumber: partNumber, ETag: r.ETag,
          ...(r.ChecksumCRC32 && { ChecksumCRC32: r.ChecksumCRC32 }), ...(r.ChecksumCRC32C && { ChecksumCRC32C: r.ChecksumCRC32C }),
          ...(r.ChecksumSHA1 && { ChecksumSHA1: r.ChecksumSHA1 }), ...(r.ChecksumSHA256 && { ChecksumSHA256: r.ChecksumSHA256 }),
        };
        this.spare = sent;
      });
    // Unhandled until awaited: the next flush or end() awaits it and sees its failure.
    this.inFlight.catch(() => undefined);
    this.fill = this.spare ?? Buffer.allocUnsafeSlow(this.partBytes);
    this.spare = undefined;
    this.offset = 0;
    this.o.onPart?.();
  }

  /** Stores what is left and completes the object. */
  async end(): Promise<WrittenObject> {
    const api = await this.sdk();
    if (this.uploadId === undefined) {
      const body = this.fill.subarray(0, this.offset);
      await this.client.send(new api.PutObjectCommand({ Bucket: this.o.bucket, Key: this.o.key, ContentType: this.o.contentType, Body: body }));
      this.bytes = this.offset;
      return { bytes: this.bytes, parts: 1 };
    }
    if (this.offset > 0) await this.flush();
    await this.inFlight;
    this.inFlight = undefined;
    await this.client.send(new api.CompleteMultipartUploadCommand({
      Bucket: this.o.bucket, Key: this.o.key, UploadId: this.uploadId, MultipartUpload: { Parts: this.parts },
    }));
    return { bytes: this.bytes, parts: this.parts.length };
  }

  /** Removes the parts stored so far (after a failure); never throws. */
  async abort(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    if (this.uploadId === undefined) return;
    const api = await this.sdk();
    await this.client.send(new api.AbortMultipartUploadCommand({ Bucket: this.o.bucket, Key: this.o.key, UploadId: this.uploadId })).catch(() => undefined);
  }

  private async sdk(): Promise<S3Api> {
    this.api ??= await import('@aws-sdk/client-s3');
    return this.api;
  }
}
