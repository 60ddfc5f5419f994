package dev.leibniz.processor.testing;

import java.util.ArrayList;
import java.util.List;

/** The numbers of a {@code double[]} or {@code double[][]} argument, addressed by {@code {i}} or {@code {i, j}}. */
public final class Elements {
    private Elements() {
    }

    /** Every element's address, a matrix row by row. */
    public static List<int[]> of(Object array) {
        List<int[]> out = new ArrayList<>();
        if (array instanceof double[] v) {
            for (int i = 0; i < v.length; i++) {
                out.add(new int[] {i});
            }
        } else {
            double[][] m = (double[][]) array;
            for (int i = 0; i < m.length; i++) {
                for (int j = 0; j < m[i].length; j++) {
                    out.add(new int[] {i, j});
                }
            }
        }
        return out;
    }

    public static double get(Object array, int[] at) {
        return at.length == 1 ? ((double[]) array)[at[0]] : ((double[][]) array)[at[0]][at[1]];
    }

    public static void set(Object array, int[] at, double v) {
        if (at.length == 1) {
            ((double[]) array)[at[0]] = v;
        } else {
            ((double[][]) array)[at[0]][at[1]] = v;
        }
    }
}
