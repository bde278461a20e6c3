package org.openhall.queue.core.internal.config;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/** Configuration org.openhall.hall: see {@link Ocds.Hall}. */
@Component(configurationPid = "org.openhall.hall", configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
@Designate(ocd = Ocds.Hall.class, factory = false)
public final class HallPart extends PartComponent {

    public HallPart() {
        super(ConfigParsers::hall);
    }
}
