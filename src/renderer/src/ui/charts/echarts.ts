/**
 * ECharts, tree-shaken: only the chart types, components and renderers the
 * statistics use are registered, so the renderer bundle carries nothing else.
 * Canvas draws on screen (and exports PNG); SVG is used for the SVG export.
 */
import { BarChart, type BarSeriesOption } from 'echarts/charts'
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption
} from 'echarts/components'
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core'
// Counts are written on the bars; where a thin segment cannot hold its count, the layout hides it.
import { LabelLayout } from 'echarts/features'
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers'

use([BarChart, GridComponent, LegendComponent, TooltipComponent, LabelLayout, CanvasRenderer, SVGRenderer])

export type ChartOption = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>

export type Chart = EChartsType

export function createChart(el: HTMLElement): Chart {
  return init(el, null, { renderer: 'canvas' })
}

/** The chart drawn as a standalone SVG document, at the given size, off screen. */
export function chartToSvg(option: ChartOption, width: number, height: number): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    chart.setOption({ ...option, animation: false, backgroundColor: '#ffffff' })
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}

/** The on-screen chart as a PNG data URL, at twice its size for print. */
export function chartToPng(chart: Chart): string {
  return chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' })
}
