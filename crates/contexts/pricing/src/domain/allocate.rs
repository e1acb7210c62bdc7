//! Splitting an amount of money over weighted parts without losing or inventing a cent.

use std::cmp::Reverse;

/// Splits `amount` over `weights` in proportion to them.
///
/// The parts add up to exactly `amount`: each part gets the floor of its exact share, then the
/// cents lost to flooring go one each to the parts with the largest remainders, lower index
/// first on ties (the largest-remainder method). When `amount <= sum(weights)`, which is how
/// the engine calls it, no part exceeds its weight.
///
/// Negative weights count as zero and a negative `amount` as zero. A larger `amount` than the
/// weights' sum is still split exactly (100 over `[1, 1, 1]` is `[34, 33, 33]`), the parts then
/// necessarily exceeding their weights. All-zero weights give all zeros.
pub fn allocate(amount: i64, weights: &[i64]) -> Vec<i64> {
    let weights: Vec<i128> = weights.iter().map(|&w| i128::from(w.max(0))).collect();
    let total: i128 = weights.iter().sum();
    if total == 0 {
        return vec![0; weights.len()];
    }
    let amount = i128::from(amount.max(0));

    // i128 because amount * weight can exceed i64 for large baskets.
    let mut parts: Vec<i128> = weights.iter().map(|w| amount * w / total).collect();
    let leftover = amount - parts.iter().sum::<i128>();

    let mut order: Vec<usize> = (0..weights.len()).collect();
    // A stable sort keeps lower indices first among equal remainders.
    order.sort_by_key(|&i| Reverse(amount * weights[i] % total));
    // The leftover is sum(remainders) / total, so fewer cents than there are parts with a
    // non-zero remainder, and those sort first. Such a part's floor is strictly below its exact
    // share, which is at most its weight when amount <= total: one extra cent never takes a part
    // past its weight, so no part needs skipping and one pass always hands out every cent.
    for &i in order.iter().take(usize::try_from(leftover).unwrap_or(usize::MAX)) {
        parts[i] += 1;
    }

    // Every part is at most amount, which came from an i64, so the conversion cannot fail.
    parts.into_iter().map(|p| i64::try_from(p).unwrap_or(i64::MAX)).collect()
}

#[cfg(test)]
mod tests {
    use super::allocate;

    #[test]
    fn splits_evenly_with_leftover_to_the_first() {
        assert_eq!(allocate(100, &[1, 1, 1]), vec![34, 33, 33]);
    }

    #[test]
    fn proportional_split() {
        assert_eq!(allocate(30, &[100, 200]), vec![10, 20]);
    }

    #[test]
    fn leftover_goes_to_the_largest_remainder() {
        // Exact shares are 1.2, 1.8 and 2.0: the single lost cent goes to the 0.8 remainder.
        assert_eq!(allocate(5, &[6, 9, 10]), vec![1, 2, 2]);
    }

    #[test]
    fn all_zero_weights_give_zeros() {
        assert_eq!(allocate(50, &[0, 0]), vec![0, 0]);
        assert_eq!(allocate(50, &[]), Vec::<i64>::new());
    }

    #[test]
    fn zero_weight_parts_get_nothing() {
        assert_eq!(allocate(7, &[0, 5, 0, 5]), vec![0, 4, 0, 3]);
    }

    #[test]
    fn full_amount_gives_each_part_its_weight() {
        assert_eq!(allocate(60, &[10, 20, 30]), vec![10, 20, 30]);
    }

    #[test]
    fn out_of_range_input() {
        assert_eq!(allocate(1_000, &[3, 4]), vec![429, 571]);
        assert_eq!(allocate(-5, &[3, 4]), vec![0, 0]);
        assert_eq!(allocate(4, &[-3, 4]), vec![0, 4]);
    }

    #[test]
    fn large_values_do_not_overflow() {
        let parts = allocate(i64::MAX, &[i64::MAX, i64::MAX]);
        assert_eq!(parts.iter().map(|&p| i128::from(p)).sum::<i128>(), i128::from(i64::MAX));
    }
}
