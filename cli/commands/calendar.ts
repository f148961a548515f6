import type { Command } from 'commander';
import { nyse } from '../../calendar/nyse.js';
import { parseTradingDate } from '../../calendar/trading-date.js';
import { isoTime } from '../../model/iso-time.js';
import { heading, note } from '../messages.js';
import { exchangeTime, utcTime, zoneName } from '../time-format.js';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

interface Options {
  json?: boolean;
}

export function registerCalendar(program: Command): void {
  program
    .command('calendar')
    .description("a day's NYSE session: open and close in exchange time and UTC, early close, or why it is closed")
    .argument('<date>', 'YYYY-MM-DD')
    .option('--json', 'print one JSON document, for scripts')
    .action((date: string, options: Options) => {
      const weekday = WEEKDAYS[parseTradingDate(date).dayOfWeek - 1];
      const session = nyse.session(date);
      const previous = nyse.previousTradingDay(date);
      const next = nyse.nextTradingDay(date);
      const print = (text: string): void => void process.stdout.write(`${text}\n`);
      if (!session) {
        const reason = nyse.closedReason(date) ?? 'closed';
        if (options.json) return print(JSON.stringify({ date, calendar: nyse.name, timeZone: nyse.timeZone, trading: false, reason, previous, next }, null, 2));
        print(heading(`${date} (${weekday}) — NYSE closed: ${reason}`));
        return print(`Previous trading day ${previous} · next ${next}`);
      }
      if (options.json) {
        const { open, close, early, extendedOpen, extendedClose } = session;
        const hours = { open: isoTime(open), close: isoTime(close), early, extendedOpen: isoTime(extendedOpen), extendedClose: isoTime(extendedClose) };
        return print(JSON.stringify({ date, calendar: nyse.name, timeZone: nyse.timeZone, trading: true, ...hours, previous, next }, null, 2));
      }
      const zone = zoneName(session.open, nyse.timeZone);
      const local = (ms: number) => `${exchangeTime(ms, nyse.timeZone)} ${zone}`;
      print(heading(`${date} (${weekday}) — NYSE open${session.early ? ', early close' : ''}`));
      print(`Open   ${local(session.open)}   ${utcTime(session.open)} UTC`);
      print(`Close  ${local(session.close)}   ${utcTime(session.close)} UTC${session.early ? '  (early close)' : ''}`);
      print(note(`Extended hours ${exchangeTime(session.extendedOpen, nyse.timeZone)}–${local(session.extendedClose)} · previous trading day ${previous} · next ${next}`));
    });
}
