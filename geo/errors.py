class Refused(ValueError):
    """A request that cannot be carried out: `field` names what was wrong, the message
    (in the request's language) says why, `status` is the HTTP status to answer."""

    def __init__(self, field, message, status=400):
        super().__init__(message)
        self.field = field
        self.status = status
