// The console's pages, one path each (web/src/app.tsx renders a page for every one, the compiler
// checks): a browser asking for one gets the app with 200, for any other path the app with 404.
export const CONSOLE_PAGES = [
  '/',
  '/portfolio',
  '/initiatives',
  '/budget',
  '/costs',
  '/plan',
  '/report',
  '/registry',
  '/agents',
  '/approvals',
  '/audit',
  '/policies',
  '/incidents',
  '/reviews',
  '/monitors',
  '/retention',
  '/sessions',
] as const;

export type ConsolePagePath = (typeof CONSOLE_PAGES)[number];
