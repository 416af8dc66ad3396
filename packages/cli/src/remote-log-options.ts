/** logging.remote_* for the worker, the webserver and the scheduler; the folder's form is checked at start, not at the first upload. */
import { parseS3Url, type UpdraftConfig } from '@updraft/core';

export interface RemoteLogSettings {
  baseFolder: string;
  connId: string;
  deleteLocal: boolean;
}

/** Undefined when logging.remote_base_log_folder is empty; CONFIG_INVALID when it is not `s3://bucket/prefix`. */
export function remoteLogSettings(cfg: UpdraftConfig): RemoteLogSettings | undefined {
  const baseFolder = cfg.logging.remoteBaseLogFolder;
  if (!baseFolder) return undefined;
  parseS3Url(baseFolder);
  return { baseFolder, connId: cfg.logging.remoteLogConnId, deleteLocal: cfg.logging.deleteLocalLogs };
}
