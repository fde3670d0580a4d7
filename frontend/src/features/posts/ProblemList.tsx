import { List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Problem } from '../../api/types';
import { problemText } from '../../lib/problems';

export function ProblemList({ problems, testId }: { problems: Problem[]; testId?: string }) {
  const { i18n } = useTranslation();
  if (problems.length === 0) return <span />;
  return (
    <List size="sm" c="red" spacing={2} data-testid={testId} role="alert">
      {problems.map((problem, i) => (
        <List.Item key={`${problem.rule}-${i}`} data-rule={problem.rule}>
          <Text size="sm" c="red" component="span">
            {problemText(i18n, problem)}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}
