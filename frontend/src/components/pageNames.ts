import type { TFunction } from 'i18next';

const CONTROLS = { first: 'shell.pageFirst', previous: 'shell.pagePrevious', next: 'shell.pageNext', last: 'shell.pageLast' };

/** Names for a Mantine Pagination's arrows and pages (they only show an icon or a number):
 * spread into `<Pagination {...pageNames(t)} />`. */
export function pageNames(t: TFunction) {
  return {
    getControlProps: (control: keyof typeof CONTROLS) => ({ 'aria-label': t(CONTROLS[control]) }),
    getItemProps: (page: number) => ({ 'aria-label': t('shell.page', { page }) }),
  };
}
