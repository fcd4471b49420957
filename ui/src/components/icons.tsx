import type { ReactNode, SVGProps } from 'react';

function Svg({ children, ...props }: SVGProps<SVGSVGElement> & { children: ReactNode }) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.4"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {children}
    </svg>
  );
}

export const FolderIcon = () => (
  <Svg>
    <path d="M1.75 4.25a1 1 0 0 1 1-1h3.2l1.5 1.5h5.8a1 1 0 0 1 1 1v6.5a1 1 0 0 1-1 1H2.75a1 1 0 0 1-1-1z" />
  </Svg>
);
export const LogsIcon = () => (
  <Svg>
    <path d="M2.5 3.5h11M2.5 6.5h11M2.5 9.5h7M2.5 12.5h9" />
  </Svg>
);
export const SunIcon = () => (
  <Svg>
    <circle cx="8" cy="8" r="3" />
    <path d="M8 1v1.5M8 13.5V15M1 8h1.5M13.5 8H15M3 3l1 1M12 12l1 1M3 13l1-1M12 4l1-1" />
  </Svg>
);
export const MoonIcon = () => (
  <Svg>
    <path d="M13.5 9.5A5.5 5.5 0 0 1 6.5 2.5a5.5 5.5 0 1 0 7 7z" />
  </Svg>
);
export const ChevronDownIcon = () => (
  <Svg width="12" height="12">
    <path d="M4 6l4 4 4-4" />
  </Svg>
);
export const ChevronUpIcon = () => (
  <Svg width="12" height="12">
    <path d="M4 10l4-4 4 4" />
  </Svg>
);
export const CloseIcon = () => (
  <Svg width="12" height="12">
    <path d="M4 4l8 8M12 4l-8 8" />
  </Svg>
);
export const PlusIcon = () => (
  <Svg width="14" height="14">
    <path d="M8 3v10M3 8h10" />
  </Svg>
);
export const TrashIcon = () => (
  <Svg width="14" height="14">
    <path d="M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4" />
  </Svg>
);
export const HashIcon = () => (
  <Svg width="14" height="14">
    <path d="M6 2L4.5 14M11.5 2L10 14M2.5 5.5h11M2 10.5h11" />
  </Svg>
);
export const WarningIcon = () => (
  <Svg width="14" height="14">
    <path d="M8 1.75l6.5 12H1.5z" />
    <path d="M8 6.5v3M8 11.75v.01" />
  </Svg>
);
export const TableIcon = () => (
  <Svg>
    <rect x="2" y="2.5" width="12" height="11" rx="1" />
    <path d="M2 6h12M2 9.5h12M6.5 6v7.5" />
  </Svg>
);
export const CheckListIcon = () => (
  <Svg>
    <path d="M2 4l1.3 1.3L5.5 3M2 9l1.3 1.3L5.5 8M7.5 4.5h6.5M7.5 9.5h6.5M2.5 13.5h11" />
  </Svg>
);
export const AnomalyIcon = () => (
  <Svg>
    <circle cx="4" cy="11" r="1" />
    <circle cx="6.5" cy="9.5" r="1" />
    <circle cx="5" cy="7.5" r="1" />
    <circle cx="7.5" cy="12" r="1" />
    <circle cx="12.5" cy="3.5" r="1.6" />
  </Svg>
);
export const ExperimentIcon = () => (
  <Svg>
    <path d="M6 1.75h4M6.75 1.75v4.5L2.6 12.6a1 1 0 0 0 .85 1.65h9.1a1 1 0 0 0 .85-1.65L9.25 6.25v-4.5" />
    <path d="M4.2 10h7.6" />
  </Svg>
);
export const ModelIcon = () => (
  <Svg>
    <path d="M8 1.75l5.5 3.1v6.3L8 14.25l-5.5-3.1v-6.3z" />
    <path d="M2.5 4.85L8 8l5.5-3.15M8 8v6.25" />
  </Svg>
);
export const CloudIcon = () => (
  <Svg>
    <path d="M4.5 12.5h7.25a2.75 2.75 0 0 0 .3-5.48A4 4 0 0 0 4.3 6.1 3.2 3.2 0 0 0 4.5 12.5z" />
  </Svg>
);
