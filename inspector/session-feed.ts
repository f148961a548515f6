import type { ActorRefLike, AnyActor, AnyTransitionDefinition, InspectionEvent, StateValue } from 'xstate';
import { totalDropped } from '../model/counts.js';
import { symbolMachine, type SymbolContext } from '../machines/symbol-machine.js';
import type { SessionContext, SessionEmitted } from '../machines/session-machine.js';
import type { Logger } from '../model/logger.js';
import type { AnySession } from '../session/session.js';
import { CloseCharts } from './close-charts.js';
import { EventLog, eventName } from './event-log.js';
import type { InitMessage, PauseView, SessionStateView, StatusStep, SymbolCard, TransitionMark, UpdateMessage } from './inspector-messages.js';
import { activeStateIds, transitionEdgeIds } from './machine-graph.js';

/** Log entries per update; the rest are counted as skipped. */
const LOG_LIMIT = 200;

type PauseEmitted = SessionEmitted & { type: 'pause' };

/**
 * Everything the inspector page shows about one session, gathered while at least one page
 * watches. `attach` subscribes to xstate's inspection of the session's actor system
 * (`actor.system.inspect`, the session actor and every symbol actor) and to the session's own
 * events; `detach` unsubscribes, which leaves xstate with no inspection observer at all. An
 * observer that merely returns at once would not do: xstate prepares and dispatches every
 * inspection event to it, which halves its raw event throughput (measured: ~650k → ~290k events/s).
 *
 * Inspection events are only recorded (log lines, the transitions of each actor's latest
 * macrostep); snapshots, counters and prices are read once per `update`, on a timer.
 */
export class SessionFeed {
  private subscriptions: Array<() => void> = [];
  private readonly log = new EventLog(LOG_LIMIT);
  private readonly charts: CloseCharts;
  private steps: StatusStep[] = [];
  /** Per actor (`session` or a symbol): the event of its latest macrostep and the transitions it took. */
  private readonly macrosteps = new Map<string, { event: unknown; transitions: AnyTransitionDefinition[] }>();
  private readonly marked = new Set<string>();
  private sent = { state: '', pauses: '', clock: Number.NaN, cards: new Map<string, string>() };
  private broken = false;
  private sessionLeaf: string | undefined;

  constructor(
    private readonly session: AnySession,
    private readonly logger: Logger,
  ) {
    this.charts = new CloseCharts(session.data);
  }

  attach(): void {
    if (this.subscriptions.length > 0) return;
    const inspection = this.session.actor.system.inspect((event) => this.onInspection(event));
    // Only a backtest pauses as a whole; a live session's machine never emits `pause`.
    const pauses = this.session.actor.on('pause', (pause: PauseEmitted) => {
      const detail = pause.phase === 'begin' ? `${pause.reason} ${pause.symbols.join(', ')}` : `${pause.record.durationMs.toFixed(1)} ms`;
      this.log.push({ wall: Date.now(), sim: this.session.clock.now(), actor: 'state', event: `pause ${pause.phase}`, detail });
    });
    this.subscriptions = [
      () => inspection.unsubscribe(),
      () => pauses.unsubscribe(),
      this.session.on('symbol', ({ symbol, status, error }) => {
        this.steps.push({ symbol, status, sim: this.session.clock.now(), wall: Date.now(), ...(error ? { error } : {}) });
      }),
    ];
  }

  detach(): void {
    for (const unsubscribe of this.subscriptions) unsubscribe();
    this.subscriptions = [];
    this.log.take();
    this.steps = [];
    this.macrosteps.clear();
    this.marked.clear();
    this.sent = { state: '', pauses: '', clock: Number.NaN, cards: new Map() };
    this.sessionLeaf = undefined;
  }

  /** The whole picture, for a page that just connected. */
  init(control: InitMessage['control']): InitMessage {
    const { session } = this;
    const symbols = this.cards();
    this.charts.rewind();
    return {
      session: {
        date: session.tradingSession.date,
        mode: session.mode,
        calendar: session.calendar.name,
        timeZone: session.calendar.timeZone,
        open: session.tradingSession.open,
        close: session.tradingSession.close,
      },
      control,
      clock: session.clock.now(),
      wall: Date.now(),
      state: this.stateView(),
      pauses: this.pauseView(),
      symbols,
    };
  }

  /** What changed since the last update, or nothing when nothing did. */
  update(): UpdateMessage | undefined {
    const clock = this.session.clock.now();
    const message: UpdateMessage = { clock, wall: Date.now() };
    let changed = clock !== this.sent.clock;
    this.sent.clock = clock;

    const state = this.stateView();
    if (JSON.stringify(state) !== this.sent.state) {
      this.sent.state = JSON.stringify(state);
      message.state = state;
      changed = true;
    }
    if (this.steps.length > 0) {
      message.steps = this.steps;
      this.steps = [];
      changed = true;
    }
    const cards = this.cards();
    const changedCards = cards.filter((card) => JSON.stringify(card) !== this.sent.cards.get(card.symbol));
    if (changedCards.length > 0) {
      for (const card of changedCards) this.sent.cards.set(card.symbol, JSON.stringify(card));
      message.symbols = changedCards;
      changed = true;
    }
    if (this.marked.size > 0) {
      message.transitions = [...this.marked].map((actor) => this.mark(actor));
      this.marked.clear();
      changed = true;
    }
    const { entries, skipped } = this.log.take();
    if (entries.length > 0) message.log = entries;
    if (skipped > 0) message.skipped = skipped;
    const charts = this.charts.read(cards);
    if (charts.length > 0) message.charts = charts;
    const pauses = this.pauseView();
    if (JSON.stringify(pauses) !== this.sent.pauses) {
      this.sent.pauses = JSON.stringify(pauses);
      message.pauses = pauses;
    }
    return changed || entries.length > 0 || charts.length > 0 || message.pauses ? message : undefined;
  }

  /**
   * Runs inside xstate's event processing: it must be quick and must never throw, since an
   * exception here would surface in the session's own actions.
   */
  private onInspection(event: InspectionEvent): void {
    if (this.broken) return;
    try {
      if (event.type === '@xstate.event') {
        const actor = this.actorName(event.actorRef);
        if (actor === undefined) return;
        const from = event.sourceRef ? this.sourceName(event.sourceRef) : undefined;
        this.log.push(
          { wall: Date.now(), sim: this.session.clock.now(), actor, event: eventName(event.event.type), ...(from === undefined ? {} : { from }) },
          event.event,
        );
      } else if (event.type === '@xstate.microstep') {
        const actor = this.actorName(event.actorRef);
        if (actor === undefined) return;
        let step = this.macrosteps.get(actor);
        if (!step || step.event !== event.event) {
          step = { event: event.event, transitions: [] };
          this.macrosteps.set(actor, step);
        }
        step.transitions.push(...event._transitions);
        this.marked.add(actor);
        // Every state the session passes through, even within one macrostep (`session.on('state')` reports where a macrostep ends).
        const leaf = actor === 'session' ? leafOf(event.snapshot as { value?: StateValue }) : undefined;
        if (leaf !== undefined && leaf !== this.sessionLeaf) {
          this.sessionLeaf = leaf;
          this.log.push({ wall: Date.now(), sim: this.session.clock.now(), actor: 'state', event: leaf });
        }
      }
    } catch (error) {
      this.broken = true;
      this.logger.error('tapedeck inspector: reading an inspection event failed; the inspector stops recording events, the session goes on.', error);
    }
  }

  /** `session`, a symbol for a symbol actor, nothing for the actors they invoke (clock, loader, catch-up). */
  private actorName(ref: ActorRefLike): string | undefined {
    if (ref === this.session.actor) return 'session';
    // Every actor in the session's system is an `Actor`; the symbol actors run the symbol chart, as each mode provides it.
    const actor = ref as AnyActor;
    if ((actor.logic as { id?: string }).id === symbolMachine.id) return (actor.getSnapshot().context as SymbolContext).symbol;
    return undefined;
  }

  private sourceName(ref: ActorRefLike): string {
    const actor = ref as AnyActor;
    return this.actorName(ref) ?? (typeof actor.src === 'string' ? actor.src : actor.id);
  }

  private mark(actor: string): TransitionMark {
    const edges = (this.macrosteps.get(actor)?.transitions ?? []).flatMap(transitionEdgeIds);
    return actor === 'session' ? { machine: 'session', edges } : { machine: 'symbol', symbol: actor, edges };
  }

  private stateView(): SessionStateView {
    const { value } = this.session.actor.getSnapshot();
    return { leaf: this.session.state, active: activeStateIds(this.session.actor.logic.id, value) };
  }

  private cards(): SymbolCard[] {
    return this.session.listSymbols().map(({ symbol, origin, status, streams, addedAt, loaded, dropped, caughtUp, streamed, error }) => ({
      symbol,
      origin,
      status,
      streams,
      addedAt,
      loaded,
      dropped: totalDropped(dropped),
      caughtUp,
      streamed,
      ...(error ? { error } : {}),
    }));
  }

  private pauseView(): PauseView {
    // A live session's context has neither: it never pauses as a whole.
    const { pauses = [], openPause }: Partial<Pick<SessionContext, 'pauses' | 'openPause'>> = this.session.actor.getSnapshot().context;
    const durations = pauses.map((pause) => pause.durationMs);
    const last = durations.at(-1);
    return {
      count: pauses.length,
      totalMs: roundMs(durations.reduce((sum, ms) => sum + ms, 0)),
      maxMs: roundMs(Math.max(0, ...durations)),
      ...(last === undefined ? {} : { lastMs: roundMs(last) }),
      ...(openPause ? { open: { reason: openPause.reason, simTime: openPause.simTime, startedAt: openPause.startedAt, symbols: openPause.symbols } } : {}),
    };
  }
}

function leafOf(snapshot: { value?: StateValue }): string | undefined {
  let value: StateValue | undefined = snapshot.value;
  while (value !== undefined && typeof value === 'object') value = Object.values(value)[0];
  return value;
}

function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}
