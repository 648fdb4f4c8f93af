import { findPage, type Page } from '../../kit/pagination.js';
import { ALARM_ORDER, alarmQuery, type AlarmFilterInput } from './alarm-filter.js';
import type { AlarmDoc, Models } from './models.js';

/**
 * One page of `Query.alarms` and the total matching the filter: a count and a find, run in
 * parallel (two commands). The count is answered from an index when the filter is covered.
 */
export async function findAlarmPage(models: Models, filter: AlarmFilterInput | null | undefined, page: Page): Promise<{ totalCount: number; nodes: AlarmDoc[] }> {
  return findPage<AlarmDoc>(models.Alarm, alarmQuery(filter), ALARM_ORDER, page);
}
