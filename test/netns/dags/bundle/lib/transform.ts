/** What a task of netns_bundle returns: this module's version and where it was loaded from. */
export function transform(task: string): { task: string; version: string; from: string } {
  return { task, version: 'v1', from: import.meta.url };
}
