/** Remote task logs: finished tries' logs in S3. */
export { parseS3Url, s3LogKey, type S3Location } from './s3-location.js';
export { S3LogStore, type S3LogPage } from './s3-log-store.js';
