import { Kind, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { AlarmEvent } from './events.js';

/**
 * Alarm fields that never change once the alarm exists and that every alarm event carries, so
 * a subscriber asking only for them can be answered from the event itself: no read of the alarm
 * per delivery (in a storm, a database query per few hundred deliveries and the decoding of
 * every whole alarm document). `alarmedObject` is the inventory reference: only its key.
 */
const FROM_EVENT = new Set(['__typename', 'id', 'alarmType', 'probableCause', 'specificProblem', 'alarmRaisedTime', 'alarmedObject']);
const REFERENCE_FIELDS = new Set(['__typename', 'id']);

type Fragments = Record<string, FragmentDefinitionNode>;

/** Whether `set` only asks for fields within `allowed` (nested selections only under `alarmedObject`). */
function only(set: SelectionSetNode, allowed: Set<string>, fragments: Fragments): boolean {
  return set.selections.every((s) => {
    if (s.kind === Kind.INLINE_FRAGMENT) return only(s.selectionSet, allowed, fragments);
    if (s.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments[s.name.value];
      return !!fragment && only(fragment.selectionSet, allowed, fragments);
    }
    if (!allowed.has(s.name.value)) return false;
    if (!s.selectionSet) return true;
    return allowed === FROM_EVENT && s.name.value === 'alarmedObject' && only(s.selectionSet, REFERENCE_FIELDS, fragments);
  });
}

/** Whether the `alarm` field being resolved (AlarmChange.alarm) can be answered from the event alone. */
export function alarmFromEventSuffices(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): boolean {
  return info.fieldNodes.every((node) => !node.selectionSet || only(node.selectionSet, FROM_EVENT, info.fragments));
}

/**
 * Whether every `alarm` selection under the subscription field (`alarmChanged { alarm { … } }`)
 * can be answered from the events: then the feed need not read alarms ahead for its deliveries.
 */
export function subscriptionNeedsNoAlarmReads(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): boolean {
  const alarmNodes = (set: SelectionSetNode | undefined): boolean =>
    !set || set.selections.every((s) => {
      if (s.kind === Kind.INLINE_FRAGMENT) return alarmNodes(s.selectionSet);
      if (s.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = info.fragments[s.name.value];
        return !!fragment && alarmNodes(fragment.selectionSet);
      }
      return s.name.value !== 'alarm' || !s.selectionSet || only(s.selectionSet, FROM_EVENT, info.fragments);
    });
  return info.fieldNodes.every((node) => alarmNodes(node.selectionSet));
}

/** The alarm's immutable fields as its event carries them; null when the event lacks one (then read the alarm). */
export function alarmFromEvent(event: AlarmEvent) {
  const e = event as AlarmEvent & { specificProblem?: string | null; alarmRaisedTime?: unknown };
  if (typeof e.alarmId !== 'string' || typeof e.resourceId !== 'string' || !(e.alarmRaisedTime instanceof Date) || e.specificProblem === undefined) return null;
  return {
    __typename: 'Alarm' as const,
    id: e.alarmId,
    alarmType: e.alarmType,
    probableCause: e.probableCause,
    specificProblem: e.specificProblem,
    alarmRaisedTime: e.alarmRaisedTime,
    alarmedObject: { __typename: 'Resource' as const, id: e.resourceId },
  };
}
