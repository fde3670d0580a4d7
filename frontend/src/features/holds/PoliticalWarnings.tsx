import { Alert, List } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { components } from '../../api/schema';
import type { Account } from '../../api/types';

type Warning = components['schemas']['ValidationWarning'];

/** The validation report's warnings: political terms while an election quiet period applies.
 * They never stop saving, so they are shown apart from the problems. */
export function PoliticalWarnings({ warnings, accounts }: { warnings: Warning[]; accounts: Account[] }) {
  const { t } = useTranslation();
  const political = warnings.filter((w) => w.rule === 'political_content');
  if (political.length === 0) return null;
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={t('holds.political.title', { period: String(political[0].params.period ?? '') })}
      data-testid="political-warnings"
    >
      <List size="sm" spacing={2}>
        {political.map((w) => {
          const account = accounts.find((a) => a.id === w.account_id);
          const terms = Array.isArray(w.params.terms) ? (w.params.terms as string[]) : [];
          return (
            <List.Item key={w.field}>
              {t('holds.political.item', {
                account: account ? `${t(`platform.${account.platform}`)} ${account.handle}` : w.platform,
                terms: terms.map((term) => `“${term}”`).join(', '),
              })}
            </List.Item>
          );
        })}
      </List>
    </Alert>
  );
}
