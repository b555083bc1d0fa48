package org.openinfolink.admin;

import java.util.List;

/**
 * A bar chart laid out for an SVG view: every shape already has its coordinates in the chart's
 * view box, so the view only draws. Immutable.
 *
 * @param id      an id for the page, e.g. {@code finished-hour}
 * @param title   what it shows
 * @param summary the same in one sentence of numbers, for readers that do not see the bars
 * @param area    the view box and the plot area in it
 * @param bars    the bar segments, stacked by status
 * @param xLabels labels under the axis
 * @param yMax    the value at the top of the axis
 * @param legend  the statuses and their colours
 */
public record BarChart(String id, String title, String summary, Area area, List<Bar> bars, List<Label> xLabels,
                       long yMax, List<Legend> legend) {

    /**
     * The view box ({@code width} x {@code height}) and the plot area's edges in it.
     *
     * @param viewBox the SVG {@code viewBox} attribute: {@code 0 0 <width> <height>}
     */
    public record Area(int width, int height, int left, int top, int right, int bottom, String viewBox) {

        public static Area of(int width, int height, int left, int top, int right, int bottom) {
            return new Area(width, height, left, top, right, bottom, "0 0 " + width + " " + height);
        }

        public int plotWidth() {
            return right - left;
        }

        public int plotHeight() {
            return bottom - top;
        }
    }

    /** A segment: its box, its CSS class (its status) and its tooltip. */
    public record Bar(double x, double y, double width, double height, String cssClass, String tip) {
    }

    /** A label at {@code x} under the axis. */
    public record Label(double x, String text) {
    }

    /** A colour of the legend. */
    public record Legend(String cssClass, String text) {
    }
}
