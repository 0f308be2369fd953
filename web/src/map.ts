// World map of the stations: an offline base map (Natural Earth country outlines from the
// world-atlas package, so no tile server is needed) with one circle per station filled with its
// US AQI colour. The base map is drawn once; markers are redrawn on every refresh.

import { geoGraticule10, geoNaturalEarth1, geoPath, type GeoProjection } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json';
import type { Station } from './api';
import { usColor } from './aqi';
import { formatValue, svg } from './format';

const kWidth = 960;
const kHeight = 500;

export interface StationMap {
  update(stations: Station[], selectedId: string | null): void;
}

function markerTitle(s: Station): string {
  const us = s.aqi_us ? `US AQI ${formatValue(s.aqi_us.value, 0)} (${s.aqi_us.category})` : 'US AQI: no data';
  const india = s.aqi_in ? `; India AQI ${formatValue(s.aqi_in.value, 0)} (${s.aqi_in.category})` : '';
  return `${s.name}: ${us}${india}`;
}

function drawBaseMap(root: SVGSVGElement, projection: GeoProjection): void {
  const path = geoPath(projection);
  const topo = world as unknown as Topology<{ countries: GeometryCollection; land: GeometryCollection }>;
  const countries = feature(topo, topo.objects.countries);
  const borders = mesh(topo, topo.objects.countries, (a, b) => a !== b);
  const base = svg('g', { class: 'basemap', 'aria-hidden': 'true' },
    svg('path', { class: 'sphere', d: path({ type: 'Sphere' }) ?? '' }),
    svg('path', { class: 'graticule', d: path(geoGraticule10()) ?? '' }),
    svg('path', { class: 'land', d: path(countries) ?? '' }),
    svg('path', { class: 'borders', d: path(borders) ?? '' }),
  );
  root.append(base);
}

export function createStationMap(
  container: HTMLElement,
  tooltip: HTMLElement,
  onSelect: (id: string) => void,
): StationMap {
  const projection = geoNaturalEarth1().fitExtent(
    [[4, 4], [kWidth - 4, kHeight - 4]],
    { type: 'Sphere' },
  );
  const root = svg('svg', {
    class: 'world-map',
    viewBox: `0 0 ${kWidth} ${kHeight}`,
    role: 'group',
    'aria-label': 'Map of stations coloured by US AQI category',
  });
  drawBaseMap(root, projection);
  const markers = svg('g', { class: 'markers' });
  root.append(markers);
  container.replaceChildren(root);

  const showTooltip = (target: SVGCircleElement, text: string): void => {
    const box = container.getBoundingClientRect();
    const r = target.getBoundingClientRect();
    tooltip.textContent = text;
    tooltip.hidden = false;
    const x = r.left + r.width / 2 - box.left;
    const y = r.top - box.top;
    const half = tooltip.offsetWidth / 2 + 4; // keep the whole tooltip inside the map
    tooltip.style.left = `${Math.min(Math.max(x, half), Math.max(half, box.width - half))}px`;
    tooltip.style.top = `${y}px`;
  };
  const hideTooltip = (): void => {
    tooltip.hidden = true;
  };

  function buildMarker(s: Station, selected: boolean, scale: number): SVGGElement | null {
    const xy = projection([s.lon, s.lat]);
    if (!xy || !Number.isFinite(xy[0]) || !Number.isFinite(xy[1])) return null;
    const label = markerTitle(s);
    const circle = svg('circle', {
      class: `station-marker${selected ? ' selected' : ''}`,
      'data-station-id': s.id,
      cx: xy[0].toFixed(1),
      cy: xy[1].toFixed(1),
      r: ((selected ? 9 : 7) * scale).toFixed(1),
      fill: usColor(s.aqi_us),
      tabindex: 0,
      role: 'button',
      'aria-label': label,
      'aria-pressed': selected ? 'true' : 'false',
    }, svg('title', { text: label }));
    if (!s.aqi_us) circle.setAttribute('stroke-dasharray', '2 2');
    circle.addEventListener('click', () => onSelect(s.id));
    circle.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onSelect(s.id);
      }
    });
    circle.addEventListener('mouseenter', () => showTooltip(circle, label));
    circle.addEventListener('focus', () => showTooltip(circle, label));
    circle.addEventListener('mouseleave', hideTooltip);
    circle.addEventListener('blur', hideTooltip);
    const group = svg('g', { class: 'station' });
    if (selected) {
      group.append(svg('circle', { class: 'selection-ring', cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: (14 * scale).toFixed(1) }));
    }
    group.append(circle);
    return group;
  }

  // Markers keep roughly the same on-screen size however small the map is drawn.
  const markerScale = (): number => {
    const w = root.getBoundingClientRect().width;
    return w > 0 ? Math.min(2.2, Math.max(1, (kWidth / w) * 0.7)) : 1;
  };
  let last: [Station[], string | null] = [[], null];
  let lastScale = 1;
  new ResizeObserver(() => {
    if (Math.abs(markerScale() - lastScale) > 0.05) api.update(...last);
  }).observe(root);

  const api: StationMap = {
    update(stations, selectedId) {
      last = [stations, selectedId];
      lastScale = markerScale();
      hideTooltip();
      // Draw the selected station last so it sits on top of close neighbours.
      const ordered = [...stations].sort((a, b) => Number(a.id === selectedId) - Number(b.id === selectedId));
      const nodes = ordered.map((s) => buildMarker(s, s.id === selectedId, lastScale)).filter((n) => n !== null);
      markers.replaceChildren(...nodes);
      root.classList.toggle('empty', nodes.length === 0);
    },
  };
  return api;
}
