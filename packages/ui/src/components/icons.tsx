// The few icons the UI uses, inline (no icon font, nothing fetched).
const base = { width: 18, height: 18, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

export function PlayIcon() {
  return (
    <svg {...base} aria-hidden="true">
      <path d="M7 4v16l13-8z" fill="currentColor" />
    </svg>
  );
}
