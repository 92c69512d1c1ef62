/**
 * Rater × rater confusion matrices as ECharts heatmaps. The shared setup
 * (src/renderer/src/ui/charts/echarts.ts) registers the renderers; the heatmap
 * and its visual map are registered here, so only this view loads them.
 *
 * Categories are shown as physicians read them (fields.ts, categoryText), and
 * those names are long ("Bacterial pneumonia", "Not assessed"), so the axes
 * are laid out from measured text: column labels wrap within their column
 * when every word fits, and are turned 45° otherwise; row labels wrap within
 * a fixed width; the chart grows taller with the number of categories. Labels
 * are never skipped or allowed to overlap, whatever the window width.
 */
import { HeatmapChart, type HeatmapSeriesOption } from 'echarts/charts'
import {
  GridComponent,
  TooltipComponent,
  VisualMapComponent,
  type GridComponentOption,
  type TooltipComponentOption,
  type VisualMapComponentOption
} from 'echarts/components'
import { format, init, use, type ComposeOption, type EChartsType } from 'echarts/core'
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers'
import '../../ui/charts/echarts'
import type { CohenPair, RatingField } from '../../../../shared/ratingsContract'
import { categoryText } from './fields'

use([HeatmapChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer, SVGRenderer])

export type HeatmapOption = ComposeOption<HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption>

/** The width a heatmap is drawn at unless its container is narrower (and the printable report's width). */
export const HEATMAP_WIDTH = 520

const FONT_SIZE = 12
const FONT = `${FONT_SIZE}px sans-serif`
const LINE_HEIGHT = 15
/** Row labels wrap within this width; longer single words are cut with an ellipsis. */
const ROW_LABEL_MAX = 90
/** Turned column labels are cut with an ellipsis beyond this length (the tooltip and the table show them whole). */
const TURNED_LABEL_MAX = 120
/** Room for an axis name (the rater) beside its labels. */
const NAME_ROOM = 24
const LABEL_MARGIN = 8
/** Slack for the difference between this measurement and ECharts' own line breaking. */
const SLACK = 6
const TOP = 12
const RIGHT = 14
const MIN_ROW_HEIGHT = 34

const textWidth = (text: string): number => format.getTextRect(text, FONT).width
const wordsOf = (text: string): string[] => text.split(/\s+/).filter(Boolean)

/** Lines a text takes when wrapped at spaces within `width` (a word wider than `width` takes a line of its own). */
function wrappedLines(text: string, width: number): number {
  const space = textWidth(' ')
  let lines = 1
  let line = 0
  for (const word of wordsOf(text)) {
    const w = textWidth(word)
    if (line === 0) line = w
    else if (line + space + w <= width) line += space + w
    else {
      lines++
      line = w
    }
  }
  return lines
}

export interface ConfusionLayout {
  /** The categories as people read them, in report order. */
  names: string[]
  width: number
  height: number
  grid: { left: number; right: number; top: number; bottom: number }
  /** Column labels turned 45° (they do not fit side by side, even wrapped). */
  turned: boolean
  columnLabelWidth: number
  rowLabelWidth: number
}

/** Where everything goes for these categories at this width; the height follows from the number of rows. */
export function confusionLayout(field: RatingField, categories: readonly string[], width = HEATMAP_WIDTH): ConfusionLayout {
  const names = categories.map((c) => categoryText(field, c))
  const n = Math.max(1, names.length)
  const widest = Math.max(0, ...names.map(textWidth))
  const widestWord = Math.max(0, ...names.flatMap(wordsOf).map(textWidth))

  const rowLabelWidth = Math.ceil(Math.min(ROW_LABEL_MAX, Math.max(widest, 24)))
  const rowLines = Math.max(1, ...names.map((t) => wrappedLines(t, rowLabelWidth - SLACK)))
  const left = NAME_ROOM + rowLabelWidth + LABEL_MARGIN
  const cell = (width - left - RIGHT) / n

  // Side by side when every word fits its column; wrapped labels then take at most a few lines.
  const turned = widestWord + SLACK > cell - 4
  const columnLabelWidth = Math.floor(turned ? Math.min(TURNED_LABEL_MAX, widest + SLACK) : cell - 4)
  const labelDepth = turned
    ? Math.ceil((columnLabelWidth + LINE_HEIGHT) * Math.SQRT1_2)
    : LINE_HEIGHT * Math.max(1, ...names.map((t) => wrappedLines(t, columnLabelWidth - SLACK)))
  const bottom = labelDepth + LABEL_MARGIN + NAME_ROOM

  const rowHeight = Math.max(MIN_ROW_HEIGHT, rowLines * LINE_HEIGHT + 8)
  const height = Math.round(TOP + bottom + n * rowHeight)
  return { names, width, height, grid: { left, right: RIGHT, top: TOP, bottom }, turned, columnLabelWidth, rowLabelWidth }
}

/** Rows: the first rater's categories (y axis, top to bottom); columns: the second rater's. */
export function confusionOption(pair: CohenPair, field: RatingField, categories: readonly string[], width = HEATMAP_WIDTH): HeatmapOption {
  const layout = confusionLayout(field, categories, width)
  const { names } = layout
  const data: [number, number, number][] = []
  let max = 0
  pair.confusion.forEach((row, a) =>
    row.forEach((n, b) => {
      data.push([b, a, n])
      max = Math.max(max, n)
    })
  )
  const [rowRater, columnRater] = pair.raters
  const label = { fontSize: FONT_SIZE, lineHeight: LINE_HEIGHT, interval: 0, hideOverlap: false }
  return {
    animation: false,
    tooltip: {
      position: 'top',
      // Names and categories are user text (rater names, DEGUM areas): the tooltip is HTML, so they are escaped.
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params
        const value = p?.value
        if (!Array.isArray(value)) return ''
        const [b, a, count] = value as number[]
        const esc = format.encodeHTML
        return `${esc(rowRater)}: ${esc(names[a ?? -1] ?? '')}<br>${esc(columnRater)}: ${esc(names[b ?? -1] ?? '')}<br>${count} clip${count === 1 ? '' : 's'}`
      }
    },
    grid: layout.grid,
    xAxis: {
      type: 'category',
      data: names,
      name: columnRater,
      nameLocation: 'middle',
      nameGap: layout.grid.bottom - NAME_ROOM / 2,
      nameTextStyle: { width: width - layout.grid.left - RIGHT, overflow: 'truncate' },
      axisLabel: layout.turned
        ? { ...label, rotate: 45, width: layout.columnLabelWidth, overflow: 'truncate' }
        : { ...label, rotate: 0, width: layout.columnLabelWidth, overflow: 'break' }
    },
    yAxis: {
      type: 'category',
      data: names,
      name: rowRater,
      inverse: true,
      nameLocation: 'middle',
      nameRotate: 90,
      nameGap: layout.rowLabelWidth + LABEL_MARGIN + 8,
      nameTextStyle: { width: layout.height - TOP - layout.grid.bottom, overflow: 'truncate' },
      axisLabel: { ...label, width: layout.rowLabelWidth, overflow: 'break' }
    },
    visualMap: { min: 0, max: Math.max(1, max), calculable: false, show: false, inRange: { color: ['#f4f7fb', '#2563eb'] } },
    series: [{ type: 'heatmap', data, label: { show: true }, emphasis: { itemStyle: { borderColor: '#111', borderWidth: 1 } } }]
  }
}

export function createHeatmap(el: HTMLElement): EChartsType {
  return init(el, null, { renderer: 'canvas' })
}

/** The matrix as a standalone SVG document, for the printable report. */
export function confusionSvg(pair: CohenPair, field: RatingField, categories: readonly string[], width = HEATMAP_WIDTH): string {
  const { height } = confusionLayout(field, categories, width)
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    chart.setOption({ ...confusionOption(pair, field, categories, width), backgroundColor: '#ffffff' })
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}
