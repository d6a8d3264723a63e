//! Cycles in the graphs of the rules: agreements that supersede each other, clauses that are
//! exceptions to each other. Linear time and no recursion, so a ring of a million is fine.

use std::collections::HashMap;

/// `` `a` → `b` → `a` ``; a long cycle shows its first and last few steps and how many between.
pub(super) fn cycle_words<'a>(cycle: &[usize], name: impl Fn(usize) -> &'a str) -> String {
    let steps: Vec<usize> = cycle.iter().copied().chain(cycle.first().copied()).collect();
    let word = |i: &usize| format!("`{}`", name(*i));
    if steps.len() <= 8 {
        return steps.iter().map(word).collect::<Vec<_>>().join(" → ");
    }
    let head: Vec<String> = steps[..4].iter().map(word).collect();
    let tail: Vec<String> = steps[steps.len() - 3..].iter().map(word).collect();
    format!("{} → … ({} more) → {}", head.join(" → "), steps.len() - 7, tail.join(" → "))
}

/// One cycle of each strongly connected component that has one, as the node list starting from
/// the component's smallest node: every node caught in a cycle is reported, each cycle once,
/// in linear time (Tarjan's algorithm, without recursion, so a ring of a million agreements is
/// fine). Not every elementary cycle: one per component is what an analyst needs to break it.
pub(super) fn find_cycles(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut components: Vec<Vec<usize>> = Vec::new();
    let mut next = 0usize;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, next edge to look at)
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if let Some(&to) = edges[node].get(*edge) {
                *edge += 1;
                if index[to] == UNSEEN {
                    index[to] = next;
                    low[to] = next;
                    next += 1;
                    stack.push(to);
                    on_stack[to] = true;
                    work.push((to, 0));
                } else if on_stack[to] {
                    low[node] = low[node].min(index[to]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                let cyclic = component.len() > 1 || edges[node].contains(&node);
                if cyclic {
                    components.push(component);
                }
            }
        }
    }
    let mut cycles: Vec<Vec<usize>> = components.iter().map(|c| cycle_in(edges, c)).collect();
    cycles.sort();
    cycles
}

/// A shortest cycle through the smallest node of a strongly connected component (breadth first).
fn cycle_in(edges: &[Vec<usize>], component: &[usize]) -> Vec<usize> {
    let start = component.iter().copied().min().unwrap_or(0);
    let inside: std::collections::HashSet<usize> = component.iter().copied().collect();
    let mut parent: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for &to in &edges[node] {
            if to == start {
                let mut path = vec![node];
                let mut at = node;
                while at != start {
                    at = parent[&at];
                    path.push(at);
                }
                path.reverse();
                return path;
            }
            if inside.contains(&to) && !parent.contains_key(&to) && to != start {
                parent.insert(to, node);
                queue.push_back(to);
            }
        }
    }
    vec![start]
}

#[cfg(test)]
mod tests {
    use super::find_cycles;

    #[test]
    fn cycles_are_found_once_each() {
        assert!(find_cycles(&[vec![1], vec![]]).is_empty());
        assert_eq!(find_cycles(&[vec![1], vec![0]]), vec![vec![0, 1]]);
        assert_eq!(find_cycles(&[vec![1], vec![2], vec![0]]), vec![vec![0, 1, 2]]);
        assert_eq!(find_cycles(&[vec![0]]), vec![vec![0]], "a node that names itself");
        // Two separate cycles, and a node leading into one that is not in it.
        assert_eq!(find_cycles(&[vec![1], vec![0], vec![3], vec![2], vec![0]]), vec![vec![0, 1], vec![2, 3]]);
    }

    #[test]
    fn a_ring_of_a_million_is_found_in_linear_time() {
        let n = 1_000_000;
        let edges: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let cycles = find_cycles(&edges);
        assert_eq!(cycles.len(), 1);
        assert_eq!(cycles[0].len(), n);
    }
}
