// Trigger a run: a field per param (typed by its default; a null default makes it required; a
// spec adds a label, description, section, choice, proposals, picker or text area), an optional
// logical date and note, and the raw conf as JSON (merged over the params). Every field is
// checked before anything is sent; the API checks again.
import { Alert, Autocomplete, Button, type ComboboxItem, Fieldset, Group, JsonInput, Modal, NumberInput, Select, Stack, Switch, TagsInput, Text, TextInput, Textarea, type OptionsFilter } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { api, ok } from '../../api/client.js';
import { fieldValue, paramFields, parseConf, sectionsOf, type ParamField, type ParamKind } from './param-fields.js';

/** Proposals (examples): all of them while the field holds one of them, else those containing what was typed. */
const proposals: OptionsFilter = ({ options, search }) => {
  const items = options.filter((o): o is ComboboxItem => 'value' in o);
  if (items.some((o) => o.value === search)) return items;
  return items.filter((o) => o.label.toLowerCase().includes(search.toLowerCase().trim()));
};

/** Native pickers of the fields of a date, date-time or time format (a date-time in UTC). */
const PICKERS: Partial<Record<ParamKind, string>> = { date: 'date', datetime: 'datetime-local', time: 'time' };

export function TriggerModal({ dagId, opened, onClose }: { dagId: string; opened: boolean; onClose(): void }) {
  const details = useQuery({
    queryKey: ['dag', dagId, 'details'],
    queryFn: () => ok(api.GET('/api/v1/dags/{dag_id}/details', { params: { path: { dag_id: dagId } } })),
    enabled: opened,
  });
  const fields = useMemo(() => paramFields(details.data?.params ?? {}, details.data?.param_specs ?? {}), [details.data]);
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [conf, setConf] = useState('');
  const [logicalDate, setLogicalDate] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    if (opened) {
      setValues(Object.fromEntries(fields.map((f) => [f.name, f.initial])));
      setErrors({});
    }
  }, [opened, fields]);

  const qc = useQueryClient();
  const navigate = useNavigate();
  const trigger = useMutation({
    mutationFn: (body: { conf: Record<string, unknown>; logical_date?: string; note?: string }) =>
      ok(api.POST('/api/v1/dags/{dag_id}/dagRuns', { params: { path: { dag_id: dagId } }, body })),
    onSuccess: (run) => {
      notifications.show({ color: 'teal', title: `${dagId} triggered`, message: run.dag_run_id });
      void qc.invalidateQueries({ queryKey: ['dag', dagId] });
      void qc.invalidateQueries({ queryKey: ['recentRuns'] });
      onClose();
      void navigate({ to: '/dags/$dagId/runs/$runId', params: { dagId, runId: run.dag_run_id }, search: {} });
    },
  });

  /** The input of one param, by its kind. */
  const field = (f: ParamField) => {
    const description = [f.spec?.description, f.kind === 'datetime' ? 'UTC' : f.kind === 'lines' ? 'One value per line' : undefined,
      f.nullable ? 'Optional: empty is null' : undefined].filter(Boolean).join(' · ');
    const common = { label: f.label, error: errors[f.name], withAsterisk: f.required, ...(description ? { description } : {}) };
    const v = values[f.name] ?? f.initial;
    // The value is read from the event now: React runs the updater later, when the event is gone.
    // An edited field's message goes until the next submit checks it again.
    const set = (value: string | boolean) => {
      setValues((s) => ({ ...s, [f.name]: value }));
      setErrors(({ [f.name]: _, ...rest }) => rest);
    };
    if (f.kind === 'boolean') {
      return <Switch key={f.name} label={f.label} description={f.spec?.description} checked={Boolean(v)} onChange={(e) => set(e.currentTarget.checked)} />;
    }
    if (f.kind === 'choice') {
      const labels = f.spec?.valuesDisplay ?? {};
      const data = (f.spec?.enum ?? []).map((e) => ({ value: JSON.stringify(e), label: labels[String(e)] ?? (e === null ? '(none)' : String(e)) }));
      return <Select key={f.name} {...common} data={data} value={String(v) || null} onChange={(x) => set(x ?? '')} allowDeselect={false} />;
    }
    if (f.kind === 'number') {
      return <NumberInput key={f.name} {...common} value={String(v)} min={f.spec?.minimum} max={f.spec?.maximum} step={f.spec?.multipleOf} clampBehavior="none" onChange={(n) => set(String(n))} />;
    }
    if (f.kind === 'json') {
      // JsonInput checks on blur and then shows validationError instead of `error`.
      return <JsonInput key={f.name} {...common} validationError={errors[f.name] ?? `${f.label} must be valid JSON`} value={String(v)} autosize minRows={2} onChange={set} />;
    }
    if (f.kind === 'lines') {
      return <Textarea key={f.name} {...common} value={String(v)} autosize minRows={2} onChange={(e) => set(e.currentTarget.value)} />;
    }
    if (f.kind === 'tags') {
      return <TagsInput key={f.name} {...common} data={f.spec?.examples ?? []} value={JSON.parse(String(v) || '[]') as string[]} onChange={(x) => set(JSON.stringify(x))} />;
    }
    if (f.kind === 'multiline') {
      return <Textarea key={f.name} {...common} value={String(v)} autosize minRows={3} onChange={(e) => set(e.currentTarget.value)} />;
    }
    const picker = PICKERS[f.kind];
    if (picker !== undefined) {
      return <TextInput key={f.name} {...common} type={picker} step={1} value={String(v)} onChange={(e) => set(e.currentTarget.value)} />;
    }
    if (f.spec?.examples !== undefined && f.spec.examples.length > 0) {
      return <Autocomplete key={f.name} {...common} data={f.spec.examples} value={String(v)} onChange={set} filter={proposals} />;
    }
    return <TextInput key={f.name} {...common} type={f.kind === 'email' ? 'email' : 'text'} value={String(v)} onChange={(e) => set(e.currentTarget.value)} />;
  };

  const submit = () => {
    const errs: Record<string, string> = {};
    const params: Record<string, unknown> = {};
    for (const f of fields) {
      const r = fieldValue(f, values[f.name] ?? f.initial);
      if ('error' in r) errs[f.name] = r.error;
      else params[f.name] = r.value;
    }
    const parsed = parseConf(conf);
    if ('error' in parsed) errs.conf = parsed.error;
    let date: string | undefined;
    if (logicalDate.trim() !== '') {
      const d = new Date(logicalDate.trim());
      if (Number.isNaN(d.getTime())) errs.logical_date = 'logical date must be a date and time, e.g. 2026-01-31T02:00:00Z';
      else date = d.toISOString();
    }
    setErrors(errs);
    if (Object.keys(errs).length > 0 || 'error' in parsed) return;
    trigger.mutate({ conf: { ...params, ...parsed.conf }, ...(date ? { logical_date: date } : {}), ...(note.trim() ? { note: note.trim() } : {}) });
  };

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700}>Trigger {dagId}</Text>} size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          {fields.length > 0 && (
            <Text size="sm" c="dimmed">
              Params (a param without a default must be given)
            </Text>
          )}
          {sectionsOf(fields).map(([section, list]) => {
            const inputs = list.map(field);
            return section === null ? inputs : (
              <Fieldset key={`section:${section}`} legend={section} variant="filled">
                <Stack gap="sm">{inputs}</Stack>
              </Fieldset>
            );
          })}
          <TextInput
            label="Logical date"
            description="Empty: now. ISO 8601, e.g. 2026-01-31T02:00:00Z"
            value={logicalDate}
            error={errors.logical_date}
            onChange={(e) => setLogicalDate(e.currentTarget.value)}
          />
          <JsonInput
            label="Conf (JSON)"
            description="A JSON object given to the run, merged over the params above"
            placeholder="{}"
            value={conf}
            error={errors.conf}
            validationError={errors.conf ?? 'conf is not valid JSON'}
            onChange={(text) => {
              setConf(text);
              setErrors(({ conf: _, ...rest }) => rest);
            }}
            autosize
            minRows={3}
          />
          <Textarea label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={1} />
          {trigger.error && <Alert color="red">{trigger.error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={trigger.isPending}>
              Trigger
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
