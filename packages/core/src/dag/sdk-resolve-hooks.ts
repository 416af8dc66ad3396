/**
 * Module resolve hook for processes that import DAG files (parser processes, task runners).
 * A DAG file imports '@updraft/sdk'; wherever the DAGs folder lives (outside this repository too),
 * that name resolves to the SDK this process runs, so DAG files need no node_modules of their own
 * and share the SDK instance (and its registry) of the process. Registered with module.register;
 * `data.sdkUrl` is the file URL of the SDK's entry.
 */
interface ResolveResult {
  url: string;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context: unknown) => Promise<ResolveResult> | ResolveResult;

let sdkUrl: string | undefined;

export function initialize(data: { sdkUrl?: string }): void {
  sdkUrl = data.sdkUrl;
}

export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve): Promise<ResolveResult> {
  if (specifier === '@updraft/sdk' && sdkUrl) return { url: sdkUrl, shortCircuit: true };
  return nextResolve(specifier, context);
}
