/** `logging.remote_base_log_folder`: where finished tries' logs are kept in S3. */
import { UpdraftError } from '../errors.js';

export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing '/'; '' for the bucket's root. */
  prefix: string;
}

/** `s3://bucket/some/prefix` -> { bucket, prefix }; anything else is refused, naming `what`. */
export function parseS3Url(url: string, what = 'logging.remote_base_log_folder'): S3Location {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url.trim());
  if (!m) throw new UpdraftError('CONFIG_INVALID', `${what}: expected s3://bucket/prefix, got ${JSON.stringify(url)}`);
  const bucket = m[1]!;
  // S3's bucket naming rules (lower-case letters, digits, dots and hyphens, 3 to 63 characters).
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new UpdraftError('CONFIG_INVALID', `${what}: ${JSON.stringify(bucket)} is not a valid S3 bucket name`);
  }
  return { bucket, prefix: (m[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

/** The object key of a try's log: the prefix, then the log's path below the log folder. */
export function s3LogKey(location: S3Location, relativePath: string): string {
  const rel = relativePath.replace(/^\/+/, '');
  return location.prefix === '' ? rel : `${location.prefix}/${rel}`;
}
