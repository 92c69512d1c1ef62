/**
 * Rater × rater confusion matrices as ECharts heatmaps. The shared setup
 * (src/renderer/src/charts/echarts.ts) registers the renderers; the heatmap
 * and its visual map are registered here, so only this view loads them.
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
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core'
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers'
import '../../charts/echarts'
import type { CohenPair } from '../../../../shared/ratingsContract'

use([HeatmapChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer, SVGRenderer])

export type HeatmapOption = ComposeOption<HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption>

/** Rows: the first rater's categories (y axis, top to bottom); columns: the second rater's. */
export function confusionOption(pair: CohenPair, categories: readonly string[]): HeatmapOption {
  const data: [number, number, number][] = []
  let max = 0
  pair.confusion.forEach((row, a) =>
    row.forEach((n, b) => {
      data.push([b, a, n])
      max = Math.max(max, n)
    })
  )
  return {
    animation: false,
    tooltip: { position: 'top' },
    grid: { left: 130, right: 20, top: 30, bottom: 90 },
    xAxis: { type: 'category', data: [...categories], name: pair.raters[1], nameLocation: 'middle', nameGap: 70, axisLabel: { rotate: 30 } },
    yAxis: { type: 'category', data: [...categories], name: pair.raters[0], inverse: true, nameLocation: 'end' },
    visualMap: { min: 0, max: Math.max(1, max), calculable: false, show: false, inRange: { color: ['#f4f7fb', '#2563eb'] } },
    series: [{ type: 'heatmap', data, label: { show: true }, emphasis: { itemStyle: { borderColor: '#111', borderWidth: 1 } } }]
  }
}

export function createHeatmap(el: HTMLElement): EChartsType {
  return init(el, null, { renderer: 'canvas' })
}

/** The matrix as a standalone SVG document, for the printable report. */
export function confusionSvg(pair: CohenPair, categories: readonly string[], width = 420, height = 360): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    chart.setOption({ ...confusionOption(pair, categories), backgroundColor: '#ffffff' })
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}
