package io.streamfleet.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small inline-SVG line and point charts for the HTML report (no scripts, no external files). Optional log-scale y
 * axis, and a percentile x axis stretched towards the tail (x = log10(1 / (1 − p)), as HdrHistogram plots do).
 */
final class SvgChart {

    /** One line (or point set) of a chart; points are {x, y}. */
    record Series(String name, String color, List<double[]> points, boolean dots) {
    }

    private static final int W = 760;
    private static final int H = 300;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 30;
    private static final int BOTTOM = 44;
    private static final double LOG_FLOOR = 0.01;
    private static final String[] PERCENTILE_LABELS = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logY;
    private final boolean percentileX;

    SvgChart(String title, String xLabel, String yLabel, boolean logY, boolean percentileX) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logY = logY;
        this.percentileX = percentileX;
    }

    String render(List<Series> series) {
        List<Series> drawn = series.stream().filter(s -> !s.points().isEmpty()).toList();
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                + "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">", W, H, W, H, esc(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>",
                LEFT, esc(title)));
        if (drawn.isEmpty()) {
            return svg.append("<text x=\"").append(LEFT).append("\" y=\"150\">no data</text></svg>").toString();
        }
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (Series s : drawn) {
            for (double[] p : s.points()) {
                minX = Math.min(minX, tx(p[0]));
                maxX = Math.max(maxX, tx(p[0]));
                minY = Math.min(minY, ty(p[1]));
                maxY = Math.max(maxY, ty(p[1]));
            }
        }
        if (!logY) {
            minY = Math.min(0, minY);
        } else {
            minY = Math.floor(minY);
            maxY = Math.ceil(maxY);
        }
        if (maxX <= minX) {
            maxX = minX + 1;
        }
        if (maxY <= minY) {
            maxY = minY + 1;
        }
        axes(svg, minX, maxX, minY, maxY);
        int legendX = LEFT + 8;
        for (Series s : drawn) {
            List<String> coords = new ArrayList<>();
            for (double[] p : s.points()) {
                coords.add(fmt(px(tx(p[0]), minX, maxX)) + "," + fmt(py(ty(p[1]), minY, maxY)));
            }
            if (s.dots()) {
                for (String c : coords) {
                    String[] xy = c.split(",");
                    svg.append("<circle cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1])
                            .append("\" r=\"3\" fill=\"").append(s.color()).append("\"/>");
                }
            } else {
                svg.append("<polyline fill=\"none\" stroke-width=\"1.6\" stroke=\"").append(s.color())
                        .append("\" points=\"").append(String.join(" ", coords)).append("\"/>");
            }
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", legendX, TOP + 2, s.color(), legendX + 14,
                    TOP + 11, esc(s.name())));
            legendX += 24 + 7 * s.name().length();
        }
        return svg.append("</svg>").toString();
    }

    private void axes(StringBuilder svg, double minX, double maxX, double minY, double maxY) {
        int x0 = LEFT;
        int y0 = H - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", x0, y0, W - RIGHT, y0, x0, y0, x0, TOP));
        for (double v : ticks(minY, maxY, logY)) {
            double y = py(v, minY, maxY);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%s\" x2=\"%d\" y2=\"%s\" stroke=\"#ddd\"/>"
                            + "<text x=\"%d\" y=\"%s\" font-size=\"10\" text-anchor=\"end\">%s</text>", x0, fmt(y),
                    W - RIGHT, fmt(y), x0 - 4, fmt(y + 3), label(logY ? Math.pow(10, v) : v)));
        }
        List<Double> xTicks = percentileX ? List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0) : ticks(minX, maxX, false);
        for (double v : xTicks) {
            if (v < minX - 1e-9 || v > maxX + 1e-9) {
                continue;
            }
            String text = percentileX ? PERCENTILE_LABELS[(int) Math.round(v)] : label(v);
            svg.append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s"
                    + "</text>", fmt(px(v, minX, maxX)), y0 + 14, text));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>"
                        + "<text x=\"14\" y=\"%d\" font-size=\"11\" transform=\"rotate(-90 14 %d)\" "
                        + "text-anchor=\"middle\">%s</text>", (LEFT + W - RIGHT) / 2, H - 8, esc(xLabel),
                (TOP + y0) / 2, (TOP + y0) / 2, esc(yLabel)));
    }

    private static List<Double> ticks(double min, double max, boolean integers) {
        List<Double> ticks = new ArrayList<>();
        if (integers) {
            for (double v = Math.ceil(min); v <= max; v++) {
                ticks.add(v);
            }
            return ticks;
        }
        double step = Math.pow(10, Math.floor(Math.log10((max - min) / 5)));
        if ((max - min) / step > 10) {
            step *= 2;
        }
        if ((max - min) / step > 10) {
            step *= 2.5;
        }
        for (double v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) {
            ticks.add(v);
        }
        return ticks;
    }

    private double tx(double x) {
        return percentileX ? Math.log10(1 / Math.max(1e-5, 1 - x / 100)) : x;
    }

    private double ty(double y) {
        return logY ? Math.log10(Math.max(LOG_FLOOR, y)) : y;
    }

    private static double px(double x, double min, double max) {
        return LEFT + (x - min) / (max - min) * (W - LEFT - RIGHT);
    }

    private static double py(double y, double min, double max) {
        return H - BOTTOM - (y - min) / (max - min) * (H - BOTTOM - TOP - 16);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String label(double v) {
        if (Math.abs(v) >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", v / 1_000_000);
        }
        if (Math.abs(v) >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1_000);
        }
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
