// The console's data table: a frame that scrolls sideways, one row of column headings, then the rows.
import type { ReactNode } from 'react';

/**
 * A column's heading; or one over numbers (aligned right), or one only screen readers read (over
 * buttons or flags). `false` leaves the column out.
 */
export type Column = string | { label: string; num?: boolean; hidden?: boolean } | false;

export function Table({
  columns,
  caption,
  className,
  testId,
  children,
}: {
  columns: Column[];
  /** A <caption> saying what the rows are. */
  caption?: ReactNode;
  /** Added to the class `table`. */
  className?: string;
  testId?: string;
  /** The rows. */
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className={className ? `table ${className}` : 'table'} data-testid={testId}>
        {caption}
        <thead>
          <tr>
            {columns.map((c) => {
              if (c === false) return null;
              const { label, num, hidden } = typeof c === 'string' ? { label: c, num: false, hidden: false } : c;
              return (
                <th key={label} scope="col" className={num ? 'num' : undefined}>
                  {hidden ? <span className="sr-only">{label}</span> : label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
