package org.openinfolink.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openinfolink.job.JobState;
import org.openinfolink.job.JobStore.FinishedCounts;
import org.openinfolink.job.JobStore.FinishedCounts.Count;

/** The Overview's charts laid out from the store's counts: bars where the jobs are, in scale, in the plot. */
class ChartsTest {

    @Test
    void jobsLandInTheirMinuteStackedByStatus() {
        FinishedCounts counts = new FinishedCounts(0, List.of(
                new Count(0, JobState.COMPLETED, 0, 6),
                new Count(0, JobState.COMPLETED_WITH_ERROR, 1, 4),
                new Count(59, JobState.STOPPED, -1, 2),
                new Count(61, JobState.COMPLETED, 2, 5)));

        List<BarChart> charts = Charts.of(counts);
        BarChart hour = charts.get(0);

        assertEquals("finished-hour", hour.id());
        assertEquals(10, hour.yMax(), "the tallest bar is 10 jobs");
        assertEquals(3, hour.bars().size(), "the job of 61 minutes ago is not in the last hour");
        BarChart.Bar stopped = hour.bars().get(0);
        BarChart.Bar completed = hour.bars().get(1);
        BarChart.Bar failed = hour.bars().get(2);
        assertEquals("stopped", stopped.cssClass(), "left to right, each bar stacked from the axis up");
        assertEquals("completed", completed.cssClass());
        assertEquals("completedWithError", failed.cssClass());
        assertEquals(hour.area().bottom(), completed.y() + completed.height(), 0.2, "stacked from the axis");
        assertEquals(completed.y(), failed.y() + failed.height(), 0.2, "the errors on top of the completed");
        assertEquals(hour.area().top(), failed.y(), 0.2, "10 of 10 reaches the top");
        assertEquals(completed.x(), failed.x(), 0.01, "one bar per minute");
        assertTrue(stopped.x() < completed.x(), "59 minutes ago is left of now");
        assertEquals(hour.area().plotHeight() * 0.2, stopped.height(), 0.2);
        assertTrue(stopped.tip().startsWith("2 stopped"), stopped.tip());

        BarChart day = charts.get(1);
        assertEquals(4, day.bars().size(), "the last day has all four groups");
        assertEquals("now", day.xLabels().get(day.xLabels().size() - 1).text());
    }

    @Test
    void durationsAreCountedByClassAndJobsThatNeverRanAreLeftOut() {
        FinishedCounts counts = new FinishedCounts(0, List.of(
                new Count(0, JobState.COMPLETED, 0, 3),
                new Count(5, JobState.COMPLETED, 0, 2),
                new Count(5, JobState.COMPLETED, 5, 1),
                new Count(0, JobState.STOPPED, -1, 9),
                new Count(120, JobState.COMPLETED, 3, 7)));

        BarChart hour = Charts.of(counts).get(2);

        assertEquals("durations-hour", hour.id());
        assertEquals(6, hour.xLabels().size(), "one label per duration class");
        assertEquals("< 100 ms", hour.xLabels().get(0).text());
        assertEquals(2, hour.bars().size());
        assertEquals(5, hour.yMax(), "5 jobs under 100 ms; the stopped ones never ran");
        assertTrue(hour.bars().get(1).tip().contains("≥ 10 min"), hour.bars().get(1).tip());
        assertEquals(3, Charts.of(counts).get(3).bars().size(), "the day also has the job of 2 hours ago");
    }

    @Test
    void nothingFinishedGivesAnEmptyChartThatSaysSo() {
        BarChart hour = Charts.of(new FinishedCounts(0, List.of())).get(0);
        assertTrue(hour.bars().isEmpty());
        assertEquals(1, hour.yMax());
        assertEquals("No job finished in this time.", hour.summary());
    }

    @Test
    void theAxisEndsAtARoundNumber() {
        assertEquals(1, Charts.niceCeiling(0));
        assertEquals(1, Charts.niceCeiling(1));
        assertEquals(2, Charts.niceCeiling(2));
        assertEquals(5, Charts.niceCeiling(3));
        assertEquals(10, Charts.niceCeiling(6));
        assertEquals(20, Charts.niceCeiling(11));
        assertEquals(500, Charts.niceCeiling(201));
        assertEquals(1000, Charts.niceCeiling(1000));
    }
}
