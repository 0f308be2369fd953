// Station table, sortable by name, region or either AQI. Rows are focusable and selected with
// click, Enter or Space; arrow keys move between rows.

import type { AqiSummary, Station } from './api';
import { inColor, textColorOn, usColor } from './aqi';
import { el, formatTime, formatValue } from './format';

export type SortKey = 'name' | 'region' | 'aqi_us' | 'aqi_in';
export interface SortState {
  key: SortKey;
  descending: boolean;
}

const kColumns: { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Station' },
  { key: 'region', label: 'Region' },
  { key: 'aqi_us', label: 'US AQI' },
  { key: 'aqi_in', label: 'India AQI' },
];

function compare(a: Station, b: Station, sort: SortState): number {
  const dir = sort.descending ? -1 : 1;
  if (sort.key === 'name' || sort.key === 'region') return dir * a[sort.key].localeCompare(b[sort.key]);
  const av = a[sort.key]?.value;
  const bv = b[sort.key]?.value;
  // Stations without an AQI go last whichever way the column is sorted.
  if (av === undefined || av === null) return bv === undefined || bv === null ? a.name.localeCompare(b.name) : 1;
  if (bv === undefined || bv === null) return -1;
  return dir * (av - bv) || a.name.localeCompare(b.name);
}

function aqiCell(aqi: AqiSummary | null, color: string): HTMLElement {
  if (!aqi) return el('td', { class: 'aqi-cell muted', text: 'no data' });
  const chip = el('span', { class: 'aqi-chip', text: formatValue(aqi.value, 0) });
  chip.style.background = color;
  chip.style.color = textColorOn(color);
  return el('td', { class: 'aqi-cell' }, chip, ' ', el('span', { class: 'aqi-cat', text: aqi.category }));
}

function headerRow(sort: SortState, onSort: (s: SortState) => void): HTMLElement {
  const row = el('tr');
  for (const c of kColumns) {
    const active = sort.key === c.key;
    const button = el('button', { type: 'button', class: 'sort', text: c.label });
    button.append(el('span', { class: 'sort-arrow', 'aria-hidden': 'true', text: active ? (sort.descending ? ' ▼' : ' ▲') : '' }));
    button.addEventListener('click', () => {
      // AQI columns start with the worst air on top; text columns start A-Z.
      const firstDescending = c.key === 'aqi_us' || c.key === 'aqi_in';
      onSort({ key: c.key, descending: active ? !sort.descending : firstDescending });
    });
    row.append(el('th', { scope: 'col', 'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : 'none' }, button));
  }
  row.append(el('th', { scope: 'col', text: 'Observed (local)' }));
  return row;
}

function stationRow(s: Station, selected: boolean, onSelect: (id: string) => void): HTMLTableRowElement {
  const row = el('tr', {
    class: `station-row${selected ? ' selected' : ''}`,
    'data-station-id': s.id,
    tabindex: 0,
    'aria-selected': selected ? 'true' : 'false',
  });
  const observed = s.aqi_us?.observed_at ?? s.aqi_in?.observed_at;
  row.append(
    el('th', { scope: 'row', text: s.name }),
    el('td', { text: s.region }),
    aqiCell(s.aqi_us, usColor(s.aqi_us)),
    aqiCell(s.aqi_in, inColor(s.aqi_in)),
    el('td', { class: 'when', text: observed ? formatTime(observed, s.timezone) : '–' }),
  );
  row.addEventListener('click', () => onSelect(s.id));
  row.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(s.id);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = e.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
      (next as HTMLElement | null)?.focus();
    }
  });
  return row;
}

export function renderStationList(
  root: HTMLElement,
  stations: Station[],
  selectedId: string | null,
  sort: SortState,
  onSelect: (id: string) => void,
  onSort: (s: SortState) => void,
): void {
  const focusedId = (document.activeElement as HTMLElement | null)?.closest?.('tr')?.dataset.stationId;
  const body = el('tbody');
  for (const s of [...stations].sort((a, b) => compare(a, b, sort))) body.append(stationRow(s, s.id === selectedId, onSelect));
  const table = el('table', { class: 'stations', 'aria-label': 'Stations' },
    el('thead', {}, headerRow(sort, onSort)), body);
  root.replaceChildren(table);
  // Keep keyboard focus on the same row across re-renders (refresh, selection).
  if (focusedId && root.contains(document.activeElement) === false) {
    body.querySelector<HTMLElement>(`tr[data-station-id="${CSS.escape(focusedId)}"]`)?.focus();
  }
}
