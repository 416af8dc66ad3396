/** A package the bundle vendors as a tarball (`npm pack` of this folder). */
export const caserVersion = '1.0.0';

export function shout(text) {
  return `${text.toUpperCase()}!`;
}
