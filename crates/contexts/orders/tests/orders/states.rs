//! The order state machine over random sequences of requested moves: a move is taken exactly
//! when the machine allows it, and no sequence leads out of a terminal state or to a
//! cancellation after shipping.

use orders::api::OrderState;
use proptest::prelude::*;

fn any_state() -> impl Strategy<Value = OrderState> {
    (0..OrderState::ALL.len()).prop_map(|i| OrderState::ALL[i])
}

proptest! {
    #[test]
    fn random_sequences_follow_the_machine(moves in proptest::collection::vec(any_state(), 1..40)) {
        let mut state = OrderState::Pending;
        let mut shipped = false;
        for to in moves {
            let before = state;
            if state.can(to) {
                state = to;
            }
            prop_assert!(state == before || before.can(state));
            prop_assert!(!before.terminal() || state == before, "left terminal {before:?}");
            shipped |= state == OrderState::Shipped;
            prop_assert!(!(shipped && state == OrderState::Cancelled), "cancelled after shipping");
            if state == OrderState::Confirmed {
                prop_assert!(matches!(before, OrderState::PaymentPending | OrderState::Confirmed));
            }
        }
    }
}

#[test]
fn only_the_ends_are_terminal() {
    let ends: Vec<OrderState> = OrderState::ALL.into_iter().filter(|s| s.terminal()).collect();
    assert_eq!(ends, [OrderState::Cancelled, OrderState::Refunded]);
}
