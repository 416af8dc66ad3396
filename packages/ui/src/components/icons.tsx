// The few icons the UI uses, inline (no icon font, nothing fetched).
const base = { width: 18, height: 18, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

export function PlayIcon() {
  return (
    <svg {...base} aria-hidden="true">
      <path d="M7 4v16l13-8z" fill="currentColor" />
    </svg>
  );
}

export function ArrowUpIcon() {
  return (
    <svg {...base} width={14} height={14} aria-hidden="true">
      <path d="M12 19V5M5 12l7-7 7 7" />
    </svg>
  );
}

export function ArrowDownIcon() {
  return (
    <svg {...base} width={14} height={14} aria-hidden="true">
      <path d="M12 5v14M19 12l-7 7-7-7" />
    </svg>
  );
}

export function DownloadIcon() {
  return (
    <svg {...base} width={14} height={14} aria-hidden="true">
      <path d="M12 4v12M6 10l6 6 6-6M4 20h16" />
    </svg>
  );
}

export function TrashIcon() {
  return (
    <svg {...base} aria-hidden="true">
      <path d="M4 7h16M10 11v6M14 11v6M5 7l1 13h12l1-13M9 7V4h6v3" />
    </svg>
  );
}

/** A star, filled when `filled` (a favourite). */
export function StarIcon({ filled }: { filled: boolean }) {
  return (
    <svg {...base} aria-hidden="true">
      <path d="M12 3l2.8 5.7 6.2.9-4.5 4.4 1.1 6.2L12 17.3l-5.6 2.9 1.1-6.2L3 9.6l6.2-.9z" fill={filled ? 'currentColor' : 'none'} />
    </svg>
  );
}
