"""The course machinery: profiles and set-up (``config``), recorded metrics (``metrics``), the
results of full runs (``results``), and the headless runner behind ``python -m course_utils``
(``runner``, ``refresh``, ``site``). It may import every other layer; nothing imports it but the
package's face (``course_utils.setup``, ``course_utils.record``)."""
