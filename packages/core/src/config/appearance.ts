/**
 * What the web UI's appearance options accept (webserver.instance_name, webserver.navbar_color):
 * checked when the configuration is read, and by the webserver for the same options given in code.
 */
export interface TextRule {
  readonly pattern: RegExp;
  /** What the rule accepts, for error messages and the configuration reference. */
  readonly expected: string;
}

/** One line of at most 64 characters (shown in the header and the browser tab's title). */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
export const INSTANCE_NAME_RULE: TextRule = { pattern: /^[^\u0000-\u001f\u007f]{0,64}$/u, expected: 'at most 64 characters on one line' };

/** A CSS hex colour, nothing else: the value goes into the page's style. */
export const NAVBAR_COLOR_RULE: TextRule = { pattern: /^(?:#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6})?$/, expected: 'empty or a hex colour such as #c92a2a or #fa5' };
