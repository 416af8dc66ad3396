/**
 * Module resolve hook for processes that import DAG files (parser processes, task runners).
 * A DAG file imports '@updraft/sdk'; wherever the DAGs folder lives (outside this repository too),
 * that name resolves to the SDK this process runs, so DAG files need no node_modules of their own
 * and share the SDK instance (and its registry) of the process. Other `@updraft/` packages a DAG
 * file may import (`@updraft/providers`) resolve from the file's own location first, else from
 * this installation. Registered with module.register; `data.sdkUrl` is the file URL of the SDK's
 * entry.
 */
interface ResolveResult {
  url: string;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context: { parentURL?: string }) => Promise<ResolveResult> | ResolveResult;

let sdkUrl: string | undefined;

export function initialize(data: { sdkUrl?: string }): void {
  sdkUrl = data.sdkUrl;
}

export async function resolve(specifier: string, context: { parentURL?: string }, nextResolve: NextResolve): Promise<ResolveResult> {
  if (specifier === '@updraft/sdk' && sdkUrl) return { url: sdkUrl, shortCircuit: true };
  if (!specifier.startsWith('@updraft/')) return nextResolve(specifier, context);
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    return nextResolve(specifier, { ...context, parentURL: import.meta.url });
  }
}
