/** The Updraft mark (the same drawing as the favicon). */
export function Logo({ size = 24 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="var(--mantine-color-blue-filled)" />
      <path d="M9 21 16 9l7 12h-4.5L16 16.5 13.5 21z" fill="#fff" />
    </svg>
  );
}
