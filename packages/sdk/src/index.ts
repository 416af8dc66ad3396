/**
 * @updraft/sdk: what a DAG file imports. No server code and no Node built-ins. See README.md.
 *
 *     import { dag, chain } from '@updraft/sdk';
 *
 *     export default dag({ dagId: 'example', schedule: '0 2 * * *', startDate: '2024-01-01' }, (d) => {
 *       const a = d.bash('a', { command: 'echo {{ ds }}' });
 *       const b = d.empty('b');
 *       a.then(b);
 *     });
 */
export * from './serialized.js';
export * from './errors.js';
export * from './duration.js';
export * from './ids.js';
export * from './options.js';
export * from './callbacks.js';
export * from './notifiers.js';
export { isDag, isNamedTaskGroup, isTask, isTaskGroup } from './brands.js';
export { Dag, dag } from './dag.js';
export type { BranchChoice } from './dag.js';
export { Task, TaskGroup, group, chain } from './task.js';
export { TaskSkipped, pokeDelayMs, type SensorOptions } from './sensor.js';
export { aliasNameProblem, asset, assetAlias, assetUriProblem, isAsset, isAssetAlias, type Asset, type AssetAlias } from './asset.js';
export { allOf, anyOf, assetConditionMet, conditionAliases, describeAssetCondition, isAssetCondition, type AssetCondition, type SerializedAssetCondition } from './asset-condition.js';
export { timetables, isTimetable, type Timetable, type CronTriggerOptions, type CronTriggerDataInterval } from './timetables.js';
export { checkCronExpression } from './cron-check.js';
export type { DeadlineOptions } from './deadline.js';
export { sensors, type ExternalTaskSensorOptions, type HttpSensorOptions } from './sensors.js';
export type { TriggerDagRunTaskOptions } from './trigger-dag-run.js';
export type { TaskLike } from './task.js';
export { mapSourcesOf, mapSourceTaskIds, mappedElement, overMaxMapLength, productLength, type MapExpansion, type MapSource, type NamedMapSource } from './mapping.js';
export { NamedTaskGroup, type TaskGroupOptions } from './task-group.js';
export { TaskFactory, TaskGroupBuilder } from './task-factory.js';
export { collectDags, resetRegistry, getTaskFunction, getTaskOutlets, getTaskOutletAliases, getCallback, TaskLookupError } from './registry.js';
export { serializeDag, topologicalOrder, TASK_DEFAULTS, DAG_DEFAULTS } from './serialize.js';
export type { SerializeOptions } from './serialize.js';
export { TRIGGER_RULES, WEIGHT_RULES } from './settings.js';
export { paramProblem, paramsProblems, paramTypes, type ParamFormat, type ParamScalar, type ParamSpec, type ParamType, type ParamValueSpec } from './param-specs.js';
export { isValidTimeZone, resolveDate, timeZoneFormatter, wallTimeToInstant } from './timezone.js';
export * from './template.js';
export { TEMPLATE_FILTERS, templateMacros } from './template-macros.js';
export { dateInTimezone, formatInTimezone, wallClock, type WallClock } from './wall-clock.js';
