package org.openhall.queue.core.internal.config;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/** Configuration org.openhall.staff-&lt;name&gt;: see {@link Ocds.Staff}. */
@Component(configurationPid = "org.openhall.staff", configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
@Designate(ocd = Ocds.Staff.class, factory = true)
public final class StaffPart extends PartComponent {

    public StaffPart() {
        super(ConfigParsers::staff);
    }
}
