"""Commission moves' notifications are written with the move by
commissioning.notifications.transition_notify and sent from notices' outbox
(notices.tasks.deliver_outbox); there is no task of commissioning's own."""
