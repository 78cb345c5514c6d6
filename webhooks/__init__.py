"""
Publishing events for subscribers: webhook endpoints, the outbox filled in the transaction of
each change (outbox.py), signed delivery (delivery.py) by the worker's tasks (tasks.py) and
the delivery log. Beside the content apps, which never import it: it reads the kernel and
the change log.
"""
