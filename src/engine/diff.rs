//! Differences between two evaluations: what a changed answer, a new
//! questionnaire version or another date does to the outcomes.

use serde::Serialize;

use super::Status;

/// One outcome whose status differs: `None` means it does not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub id: String,
    pub before: Option<Status>,
    pub after: Option<Status>,
}

/// Compares outcome statuses by id (as from `Evaluation::statuses` or a saved
/// session), in the order of `after` then the outcomes that disappeared.
pub fn diff(before: &[(String, Status)], after: &[(String, Status)]) -> Vec<Change> {
    let old = super::status_map(before);
    let new = super::status_map(after);
    let mut changes = Vec::new();
    for (id, status) in after {
        let was = old.get(id.as_str()).copied();
        if was != Some(*status) {
            changes.push(Change {
                id: id.clone(),
                before: was,
                after: Some(*status),
            });
        }
    }
    for (id, status) in before {
        if !new.contains_key(id.as_str()) {
            changes.push(Change {
                id: id.clone(),
                before: Some(*status),
                after: None,
            });
        }
    }
    changes
}
