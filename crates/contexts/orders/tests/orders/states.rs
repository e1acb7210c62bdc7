//! The order state machine over random sequences of requested moves: a move is taken exactly
//! when the machine allows it, and no sequence leads out of a terminal state or to a
//! cancellation after shipping; and the same of the state an order derives from its sellers'
//! parts and its returns, over random sequences of what sellers, carriers and customers do.

use orders::api::{FulfilmentState, OrderState, ReturnState};
use orders::domain::order_state_derive;
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

/// One thing that can happen to a confirmed order of up to three sellers' parts.
#[derive(Debug, Clone)]
enum Op {
    /// A part is moved on to a state (taken when its machine allows it).
    Part(usize, FulfilmentState),
    /// Units of a part's line are asked back (taken when delivered and enough are left).
    Ask(usize, i64),
    /// A return moves on (taken when its machine allows it).
    Return(usize, ReturnState),
    Cancel,
}

fn any_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..3usize, 0..FulfilmentState::ALL.len()).prop_map(|(p, s)| Op::Part(p, FulfilmentState::ALL[s])),
        2 => (0..3usize, 1..3i64).prop_map(|(p, k)| Op::Ask(p, k)),
        3 => (0..8usize, 0..ReturnState::ALL.len()).prop_map(|(r, s)| Op::Return(r, ReturnState::ALL[s])),
        1 => Just(Op::Cancel),
    ]
}

proptest! {
    /// Whatever the sellers, carriers and customers do, in any order, the order only ever
    /// takes moves its machine allows, is never cancelled once a part shipped, and is refunded
    /// exactly when every unit came back and was refunded.
    #[test]
    fn the_order_follows_its_parts_and_returns_by_allowed_moves(
        sellers in 1..=3usize,
        ops in proptest::collection::vec(any_op(), 1..60),
    ) {
        const UNITS: i64 = 2;
        let mut parts = vec![FulfilmentState::Pending; sellers];
        let mut claimed = vec![0i64; sellers];
        let mut returns: Vec<(usize, i64, ReturnState)> = Vec::new();
        let mut order = OrderState::Confirmed;
        for op in ops {
            match op {
                Op::Part(p, to) if p < sellers && parts[p].can(to) && to != FulfilmentState::Cancelled => parts[p] = to,
                Op::Ask(p, k) if p < sellers && parts[p] == FulfilmentState::Delivered && claimed[p] + k <= UNITS => {
                    claimed[p] += k;
                    returns.push((p, k, ReturnState::Requested));
                }
                Op::Return(r, to) if r < returns.len() && returns[r].2.can(to) => {
                    if to == ReturnState::Rejected {
                        claimed[returns[r].0] -= returns[r].1;
                    }
                    returns[r].2 = to;
                }
                Op::Cancel if order.cancellable() && !parts.iter().any(|s| s.shipped()) => {
                    parts.iter_mut().for_each(|s| *s = FulfilmentState::Cancelled);
                    order = OrderState::Cancelled;
                    continue;
                }
                _ => continue,
            }
            if order == OrderState::Cancelled {
                continue;
            }
            let states: Vec<ReturnState> = returns.iter().map(|r| r.2).collect();
            let all_back = claimed.iter().all(|c| *c == UNITS)
                && states.iter().all(|s| matches!(s, ReturnState::Refunded | ReturnState::Rejected));
            let Some(next) = order_state_derive(&parts, &states, all_back) else { continue };
            prop_assert!(next == order || order.can(next), "{order:?} -> {next:?} with {parts:?} {states:?}");
            prop_assert!(!(order.terminal() && next != order), "left {order:?}");
            order = next;
            prop_assert_eq!(order == OrderState::Refunded, all_back && parts.iter().all(|s| *s == FulfilmentState::Delivered));
        }
    }
}
