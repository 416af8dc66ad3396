// Compact label/value pairs in two columns (one on a phone): the facts of a try or a run.
import { SimpleGrid, Text } from '@mantine/core';
import classes from './DetailGrid.module.css';

export function DetailGrid({ items, testId }: { items: [string, React.ReactNode][]; testId?: string }) {
  return (
    <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="lg" verticalSpacing={6} data-testid={testId}>
      {items.map(([label, value]) => (
        <div key={label} className={classes.item}>
          <Text size="xs" c="dimmed" className={classes.label}>
            {label}
          </Text>
          <Text size="sm" className={classes.value} data-field={label.toLowerCase()} component="div">
            {value === '' || value == null ? '—' : value}
          </Text>
        </div>
      ))}
    </SimpleGrid>
  );
}
