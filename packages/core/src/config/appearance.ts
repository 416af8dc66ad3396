/**
 * What the appearance options of the web UI and the monitor accept (webserver.instance_name,
 * webserver.navbar_color): checked when the configuration is read, and by the webserver and the
 * monitor for the same options given in code; and which text colour reads on the header's colour.
 */
import { UpdraftError } from '../errors.js';

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

/** An instance's name and header colour ('' for none). */
export interface Appearance {
  instanceName: string;
  navbarColor: string;
}

/**
 * Checks appearance options given in code as the configuration checks them: INVALID_ARGUMENT
 * naming the option (`${prefix}instanceName`, `${prefix}navbarColor`).
 */
export function checkAppearance(prefix: string, look: Appearance): Appearance {
  for (const [field, rule] of [['instanceName', INSTANCE_NAME_RULE], ['navbarColor', NAVBAR_COLOR_RULE]] as const) {
    if (!rule.pattern.test(look[field])) throw new UpdraftError('INVALID_ARGUMENT', `${prefix}${field} must be ${rule.expected}, not ${JSON.stringify(look[field])}`);
  }
  return look;
}

/**
 * Whether light text reads better than dark text on a `#rgb` or `#rrggbb` colour (WCAG relative
 * luminance: below 0.179, white has the higher contrast ratio).
 */
export function isDarkColor(hex: string): boolean {
  const digits = hex.replace('#', '');
  const full = digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits;
  const channel = (i: number): number => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4) < 0.179;
}
