import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../../i18n';

export function LanguageSwitch({ fullWidth = false }: { fullWidth?: boolean }) {
  const { t, i18n } = useTranslation();
  const current: Language = i18n.language === 'en' ? 'en' : 'id';
  return (
    <SegmentedControl
      size="xs"
      fullWidth={fullWidth}
      aria-label={t('nav.language')}
      value={current}
      onChange={(value) => void setLanguage(value === 'en' ? 'en' : 'id')}
      data={[
        { value: 'id', label: 'ID' },
        { value: 'en', label: 'EN' },
      ]}
      data-testid="language-switch"
    />
  );
}
