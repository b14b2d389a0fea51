"""Threads with the service: one family in five wrote (one to four messages, the
service answering), a third of them closed; the family has read most answers."""

import datetime

from django.contrib.auth import get_user_model

from espace_prive.accounts.demo import STAFF_EMAIL
from espace_prive.messaging.models import (
    Message,
    Sender,
    Thread,
    ThreadRead,
    ThreadState,
    Topic,
    TopicRoute,
)

from . import REFERENCE_FAMILY, bulk, timed

SUBJECTS = {
    Topic.ENROLMENT: ("Inscription à la cantine", "Bonjour, comment inscrire notre fils ?"),
    Topic.BILLING: ("Question sur la facture", "Bonjour, la facture compte un repas de trop."),
    Topic.CATERING: ("Menu sans porc", "Bonjour, le menu sans porc est-il proposé le jeudi ?"),
    Topic.OTHER: ("Changement d'adresse", "Bonjour, nous déménageons le mois prochain."),
}
ANSWER = "Bonjour, c'est noté : nous revenons vers vous rapidement. Le service."


def generate(town):
    staff = get_user_model().objects.get(email=STAFF_EMAIL)
    users = town.objects["user_by_family"]
    routes = dict(TopicRoute.objects.values_list("topic", "group_id"))
    with timed(town, "messaging: threads and messages"):
        threads, messages = [], []
        for family in town.objects["families"]:
            rng = town.rng("messaging", family.reference)
            user = users.get(family.pk)
            wanted = rng.random() < 0.2 or family.reference == REFERENCE_FAMILY
            if user is None or not wanted:
                continue
            topic = rng.choice(list(SUBJECTS))
            subject, body = SUBJECTS[topic]
            opened = town.recent(rng, days=60)
            count = rng.randrange(1, 5)
            stamps = [opened + datetime.timedelta(hours=6 * i) for i in range(count)]
            closed = count > 1 and rng.random() < 0.33
            thread = Thread(
                public_id=town.uuid(rng),
                family=family,
                subject=subject,
                topic=topic,
                group_id=routes.get(topic),
                state=ThreadState.CLOSED if closed else ThreadState.OPEN,
                created_by=user,
                created_at=opened,
                last_message_at=stamps[-1],
                closed_by=staff if closed else None,
                closed_at=stamps[-1] if closed else None,
            )
            threads.append(thread)
            for index, stamp in enumerate(stamps):
                family_side = index % 2 == 0
                messages.append(
                    Message(
                        public_id=town.uuid(rng),
                        thread=thread,
                        sender=Sender.FAMILY if family_side else Sender.SERVICE,
                        author=user if family_side else staff,
                        author_name=f"{user.first_name} {user.last_name}"
                        if family_side
                        else "Service Enfance",
                        body=body if index == 0 else ANSWER if not family_side else "Merci.",
                        created_at=stamp,
                    )
                )
        threads = bulk(Thread, threads)
        bulk(Message, messages)
        reads = [
            ThreadRead(thread=t, user=t.created_by, read_at=t.last_message_at)
            for t in threads
            if t.public_id.int % 10 < 7
        ]
        bulk(ThreadRead, reads)
