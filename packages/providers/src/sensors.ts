/**
 * The SDK's ready-made sensors plus the ones that need a database driver, which the SDK leaves
 * out (it is what every DAG file and the scheduler load): `sensors.sql(connId, query)`.
 *
 *     import { sensors } from '@updraft/providers';
 *     d.sensor('orders_landed', { poke: sensors.sql('warehouse', "SELECT count(*) > 0 FROM orders WHERE day = '{{ ds }}'"), pokeInterval: '5m' });
 */
import { sensors as sdkSensors } from '@updraft/sdk';
import { sqlSensor } from './sql/sensor.js';

export const sensors = { ...sdkSensors, sql: sqlSensor };
