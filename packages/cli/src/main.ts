export const main = async (_argv: string[]): Promise<void> => {};
