import { useState } from 'react';
import { Anchor, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { usePermissions } from '../../../app/permissions';
import { useUnits } from '../../../app/useSession';
import { canConfigureInbox } from './access';
import { InboxSettingsPanel } from './InboxSettingsPanel';
import { PrivacyPanel } from './PrivacyPanel';
import { SavedAnswersPanel } from './SavedAnswersPanel';
import { TopicsPanel } from './TopicsPanel';

type Tab = 'topics' | 'saved' | 'settings' | 'privacy';

export function InboxSettingsPage() {
  const { t } = useTranslation();
  const { unit } = useUnits();
  const can = usePermissions();
  const [tab, setTab] = useState<Tab>('topics');
  if (!unit) return null;
  const manage = can('manage_posts');
  if (!canConfigureInbox(can)) return <Text data-testid="inbox-settings-denied">{t('inboxAdmin.denied')}</Text>;
  const tabs: Tab[] = manage ? ['topics', 'saved', 'settings', 'privacy'] : ['settings'];
  const current = tabs.includes(tab) ? tab : tabs[0];
  return (
    <Stack gap="md" data-testid="inbox-settings-page">
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h2">
          {t('inboxAdmin.title')}
        </Title>
        <Anchor component={Link} to="/inbox" mih={44} style={{ display: 'inline-flex', alignItems: 'center' }}>
          {t('inboxAdmin.back')}
        </Anchor>
      </Group>
      <Tabs value={current} onChange={(v) => v && setTab(v as Tab)} keepMounted={false}>
        <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto' }}>
          {tabs.map((name) => (
            <Tabs.Tab key={name} value={name} mih={44} data-testid={`inbox-settings-tab-${name}`}>
              {t(`inboxAdmin.tabs.${name}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="topics" pt="md">
          <TopicsPanel unitId={unit.id} canManage={manage} />
        </Tabs.Panel>
        <Tabs.Panel value="saved" pt="md">
          <SavedAnswersPanel unitId={unit.id} canManage={manage} />
        </Tabs.Panel>
        <Tabs.Panel value="settings" pt="md">
          <InboxSettingsPanel unitId={unit.id} canManage={can('manage_unit')} />
        </Tabs.Panel>
        <Tabs.Panel value="privacy" pt="md">
          <PrivacyPanel unitId={unit.id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
